import {
  AckPolicy,
  connect,
  jwtAuthenticator,
  nanos,
  NatsError,
  type ConnectionOptions,
  type ConsumerConfig,
  type JetStreamClient,
  type JetStreamManager,
  type JetStreamOptions,
  type JsMsg,
  type NatsConnection,
} from 'nats';
import type { Logger } from 'pino';
import { errorMessage } from '../../errors';
import type { ComponentContext } from '../registry';
import { InFlight } from './in-flight';
import { parseJetStreamMetadata, type JetStreamMetadata } from './jetstream/metadata';
import { checkTopicSubject, durableNameFor } from './jetstream/names';
import { StreamDirectory } from './jetstream/streams';
import type { MessageHandler, PubSub, PubSubFeature, PublishRequest, SubscribeRequest, Unsubscribe } from './pubsub';

/** How many messages a `concurrencyMode: parallel` subscription handles at once (daprd bounds it by maxAckPending). */
const PARALLEL_LIMIT = 100;

/**
 * `pubsub.jetstream`: a topic is the NATS subject of the same name in a JetStream stream. Each topic gets one
 * durable pull consumer per consumer name (`durableName` | `queueGroupName` | consumer ID, plus the topic), so
 * replicas of one app pull from the same consumer and share its messages, while another app id has its own
 * consumer and gets every message. Handler success is an ack, failure a NAK (after `ackWait` when set, as daprd).
 */
export class JetStreamPubSub implements PubSub {
  readonly features: ReadonlySet<PubSubFeature> = new Set<PubSubFeature>();
  private readonly subscriptions = new Set<Unsubscribe>();
  private readonly streams: StreamDirectory;
  private closed = false;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly meta: JetStreamMetadata,
    private readonly logger: Logger,
  ) {
    this.streams = new StreamDirectory(jsm, meta.streamName, logger);
  }

  static async connect(ctx: ComponentContext): Promise<JetStreamPubSub> {
    const meta = parseJetStreamMetadata(ctx);
    const nc = await connect(connectionOptions(meta));
    try {
      // nats.js refuses an option present but undefined, so only the ones set are passed.
      const jsOpts: JetStreamOptions = { ...(meta.domain && { domain: meta.domain }), ...(meta.apiPrefix && { apiPrefix: meta.apiPrefix }) };
      // Asks the server for JetStream's account info: a server started without -js fails here, at init.
      const jsm = await nc.jetstreamManager(jsOpts);
      const pubsub = new JetStreamPubSub(nc, nc.jetstream(jsOpts), jsm, meta, ctx.logger);
      pubsub.logStatus();
      return pubsub;
    } catch (err) {
      await nc.close();
      throw err;
    }
  }

  async publish(req: PublishRequest): Promise<void> {
    this.checkOpen();
    checkTopicSubject(req.topic);
    await this.streams.streamFor(req.topic);
    // daprd uses the CloudEvent id as Nats-Msg-Id, so a retried publish is stored once. A stream dedupes across
    // all its subjects, though: a dead letter (the same event, republished to the dead-letter topic) in the same
    // stream would be dropped as a duplicate without an error. So the id is scoped to the topic.
    const eventId = cloudEventId(req.data);
    const opts = { msgID: eventId && `${req.topic}/${eventId}` };
    try {
      await this.js.publish(req.topic, req.data, opts);
    } catch (err) {
      // No stream answered: it was deleted since we looked it up. Find or create it again, once.
      if (!(err instanceof NatsError && err.code === '503')) throw err;
      this.streams.forget(req.topic);
      await this.streams.streamFor(req.topic);
      await this.js.publish(req.topic, req.data, opts);
    }
  }

  async subscribe(req: SubscribeRequest, handler: MessageHandler): Promise<Unsubscribe> {
    this.checkOpen();
    checkTopicSubject(req.topic);
    const stream = await this.streams.streamFor(req.topic);
    const durable = durableNameFor(this.meta.consumerName, req.topic);
    await this.ensureConsumer(stream, durable, req.topic);
    const consumer = await this.js.consumers.get(stream, durable);
    const limit = req.maxConcurrentMessages ?? (this.meta.concurrencyMode === 'parallel' ? PARALLEL_LIMIT : 1);
    const messages = await consumer.consume({
      max_messages: Math.max(limit, 10),
      ...(this.meta.heartbeatMs !== undefined && { idle_heartbeat: this.meta.heartbeatMs }),
    });
    const inFlight = new InFlight(limit);
    let stopping = false;

    const reading = (async () => {
      for await (const msg of messages) {
        if (!stopping) await inFlight.slot();
        // Messages pulled but not handed over go back to the consumer at once, for the other replicas.
        if (stopping) this.release(msg);
        else void inFlight.run(() => this.deliver(msg, handler));
      }
    })().catch((err: unknown) => this.logger.error({ topic: req.topic, err: errorMessage(err) }, 'JetStream consumer stopped'));

    let stopped: Promise<void> | undefined;
    const unsubscribe: Unsubscribe = () =>
      (stopped ??= (async () => {
        stopping = true;
        messages.stop();
        await reading;
        await inFlight.settled();
        this.subscriptions.delete(unsubscribe);
      })());
    this.subscriptions.add(unsubscribe);
    this.logger.debug({ topic: req.topic, stream, durable }, 'subscribed to JetStream');
    return unsubscribe;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((stop) => stop()));
    // Drain flushes the acks still in the outbound buffer before the connection closes.
    await this.nc.drain().catch(() => this.nc.close());
  }

  private async deliver(msg: JsMsg, handler: MessageHandler): Promise<void> {
    const acks = this.meta.ackPolicy !== AckPolicy.None;
    try {
      await handler({
        topic: msg.subject,
        data: Buffer.from(msg.data.buffer, msg.data.byteOffset, msg.data.byteLength),
        // daprd hands the subject over as the `Topic` metadata.
        metadata: { Topic: msg.subject },
      });
    } catch (err) {
      this.logger.warn({ topic: msg.subject, seq: msg.seq, err: errorMessage(err) }, 'message not handled; NAK for redelivery');
      if (acks) msg.nak(this.meta.ackWaitMs);
      return;
    }
    if (acks) msg.ack();
  }

  private release(msg: JsMsg): void {
    if (this.meta.ackPolicy !== AckPolicy.None) msg.nak();
  }

  private async ensureConsumer(stream: string, durable: string, topic: string): Promise<void> {
    const m = this.meta;
    const tunable: Partial<ConsumerConfig> = {
      ...(m.ackWaitMs !== undefined && { ack_wait: nanos(m.ackWaitMs) }),
      ...(m.maxDeliver !== undefined && { max_deliver: m.maxDeliver }),
      ...(m.backOffMs.length > 0 && { backoff: m.backOffMs.map(nanos) }),
      ...(m.maxAckPending !== undefined && { max_ack_pending: m.maxAckPending }),
    };
    const existing = await this.jsm.consumers.info(stream, durable).catch((err: unknown) => {
      if (err instanceof NatsError && (err.api_error?.code === 404 || err.code === '404')) return undefined;
      throw err;
    });
    if (existing) {
      if (Object.keys(tunable).length > 0) {
        await this.jsm.consumers.update(stream, durable, tunable).catch((err: unknown) => {
          this.logger.warn({ stream, durable, err: errorMessage(err) }, 'could not update the JetStream consumer; keeping its settings');
        });
      }
      return;
    }
    await this.jsm.consumers.add(stream, {
      durable_name: durable,
      filter_subject: topic,
      ack_policy: m.ackPolicy,
      deliver_policy: m.deliverPolicy,
      ...(m.startSequence !== undefined && { opt_start_seq: m.startSequence }),
      ...(m.startTime !== undefined && { opt_start_time: m.startTime.toISOString() }),
      ...(m.replicas !== undefined && { num_replicas: m.replicas }),
      ...(m.memoryStorage && { mem_storage: true }),
      ...tunable,
    });
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('pubsub.jetstream component is closed');
  }

  private logStatus(): void {
    void (async () => {
      for await (const s of this.nc.status()) {
        if (s.type === 'disconnect' || s.type === 'error') this.logger.warn({ status: s.type, data: String(s.data) }, 'NATS connection');
        else if (s.type === 'reconnect') this.logger.info({ data: String(s.data) }, 'NATS reconnected');
      }
    })();
  }
}

function connectionOptions(meta: JetStreamMetadata): ConnectionOptions {
  const opts: ConnectionOptions = {
    servers: meta.natsURL.split(',').map((s) => s.trim()),
    name: meta.name,
    // A sidecar outlives broker restarts: keep reconnecting instead of giving up after nats.js's 10 tries.
    maxReconnectAttempts: -1,
    // nats.js captures two stack traces per request (publish waits for an ack) unless told not to: a tenth of
    // the sidecar's CPU on the publish path, for stacks the sidecar never shows (it logs the message only).
    noAsyncTraces: true,
  };
  if (meta.jwt && meta.seedKey) opts.authenticator = jwtAuthenticator(meta.jwt, new TextEncoder().encode(meta.seedKey));
  else if (meta.tlsClientCert && meta.tlsClientKey) opts.tls = { certFile: meta.tlsClientCert, keyFile: meta.tlsClientKey };
  else if (meta.token) opts.token = meta.token;
  return opts;
}

/** The `id` of a CloudEvent payload, or undefined for a raw payload. */
function cloudEventId(data: Buffer): string | undefined {
  if (data[0] !== 0x7b /* { */) return undefined;
  try {
    const id = (JSON.parse(data.toString('utf8')) as { id?: unknown }).id;
    return typeof id === 'string' && id !== '' ? id : undefined;
  } catch {
    return undefined;
  }
}

export function createJetStreamPubSub(ctx: ComponentContext): Promise<PubSub> {
  return JetStreamPubSub.connect(ctx);
}
