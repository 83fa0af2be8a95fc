import { Logger, type HttpServer } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isObservable, lastValueFrom } from 'rxjs';
import { parseDelivery } from './cloud-event';
import { DaprPubSubContext } from './dapr-pubsub.context';
import { failureMessage, statusOfFailure, type DeliveryStatus } from './drop-message';
import { defaultRoute, normaliseRoute, type DaprSubscriptionExtras, type ProgrammaticSubscription, type ResolvedSubscription } from './subscription';

export interface DaprPubSubServerOptions {
  /** The HTTP app the sidecar calls (`app.getHttpAdapter()`): the transport adds its routes to it. */
  httpAdapter: HttpServer;
  /** The pub/sub component of patterns that name none. */
  pubsubName: string;
  /**
   * Topics a `Subscription` file declares: their routes are served but they are not listed in `/dapr/subscribe`
   * (daprd would otherwise see the topic twice). `true` means every topic (declarative mode).
   */
  declarative?: boolean | readonly string[];
  /** The largest body read from a delivery (daprd's default limit is 4 MiB). */
  maxBodyBytes?: number;
}

/**
 * A `@nestjs/microservices` transport on Dapr pub/sub over HTTP: each `@EventPattern('topic')` handler becomes a
 * route the sidecar delivers CloudEvents to, and (programmatic mode) an entry of `GET /dapr/subscribe`. The
 * handler's outcome is the answer daprd reads: resolves → SUCCESS, throws DropMessage → DROP, throws → RETRY.
 * Connect it to the HTTP app before `listen()` so its routes come before Nest's own handlers.
 */
export class DaprPubSubServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger('DaprPubSub');
  private subscriptions: ResolvedSubscription[] = [];

  constructor(private readonly options: DaprPubSubServerOptions) {
    super();
  }

  /** What this app subscribes to, once `listen` ran (for logs and tests). */
  getSubscriptions(): readonly ResolvedSubscription[] {
    return this.subscriptions;
  }

  listen(callback: (...optionalParams: unknown[]) => void): void {
    const { httpAdapter } = this.options;
    this.subscriptions = [];
    for (const [pattern, handler] of this.getHandlers()) {
      if (!handler.isEventHandler) continue;
      const subscription = this.resolve(pattern, (handler.extras ?? {}) as DaprSubscriptionExtras);
      this.subscriptions.push(subscription);
      httpAdapter.post(subscription.route, (req: IncomingMessage, res: ServerResponse) => {
        void this.deliver(req, res, handler, subscription);
      });
      const mode = subscription.declarative ? 'declarative' : 'programmatic';
      this.logger.log(`${subscription.pubsubname}/${subscription.topic} → POST ${subscription.route} (${mode})`);
    }
    const programmatic = this.subscriptions.filter((s) => !s.declarative).map(toProgrammatic);
    if (programmatic.length > 0) {
      httpAdapter.get('/dapr/subscribe', (_req: IncomingMessage, res: ServerResponse) => sendJson(res, 200, programmatic));
    }
    callback();
  }

  close(): void {
    this.subscriptions = [];
  }

  on(): never {
    throw new Error('DaprPubSubServer does not emit events; subscribe with @EventPattern');
  }

  unwrap<T>(): T {
    throw new Error('DaprPubSubServer has no underlying broker: the sidecar is the broker client');
  }

  private resolve(topic: string, extras: DaprSubscriptionExtras): ResolvedSubscription {
    const pubsubname = extras.pubsubName ?? this.options.pubsubName;
    const declared = this.options.declarative;
    return {
      pubsubname,
      topic,
      route: normaliseRoute(extras.route ?? defaultRoute(pubsubname, topic)),
      ...(extras.deadLetterTopic ? { deadLetterTopic: extras.deadLetterTopic } : {}),
      ...(extras.metadata ? { metadata: extras.metadata } : {}),
      declarative: declared === true || (Array.isArray(declared) && declared.includes(topic)),
    };
  }

  private async deliver(req: IncomingMessage, res: ServerResponse, handler: MessageHandler, subscription: ResolvedSubscription): Promise<void> {
    let body: Buffer;
    try {
      body = await readBody(req, this.options.maxBodyBytes ?? 4 * 1024 * 1024);
    } catch (err) {
      this.logger.warn(`${subscription.topic}: cannot read the delivery (${failureMessage(err)}); asking for a retry`);
      return sendJson(res, 200, { status: 'RETRY' });
    }
    const { data, event } = parseDelivery(body);
    const context = new DaprPubSubContext([event, req.headers, subscription.pubsubname, subscription.topic]);
    // Handlers of one pattern in several modules form a chain that Nest runs from its head (joined results).
    const status = await this.run(handler, data, context);
    sendJson(res, 200, { status });
  }

  private async run(handler: MessageHandler, data: unknown, context: DaprPubSubContext): Promise<DeliveryStatus> {
    try {
      const result = await handler(data, context);
      // Nest's exception filters turn a thrown error into a failing observable.
      if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
      return 'SUCCESS';
    } catch (err) {
      const status = statusOfFailure(err);
      this.logger.warn(`${context.getTopic()} event ${context.getCloudEvent()?.id ?? '(raw)'}: ${status} (${failureMessage(err)})`);
      return status;
    }
  }
}

function toProgrammatic(s: ResolvedSubscription): ProgrammaticSubscription {
  const { declarative: _declarative, ...item } = s;
  return item;
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  // A body parser that ran first (the app registered the transport late) leaves the parsed body behind.
  const parsed = (req as IncomingMessage & { body?: unknown; _body?: boolean }).body;
  if ((req as { _body?: boolean })._body || req.readableEnded) {
    return Buffer.isBuffer(parsed) ? parsed : Buffer.from(typeof parsed === 'string' ? parsed : JSON.stringify(parsed ?? null));
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error(`delivery body larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}
