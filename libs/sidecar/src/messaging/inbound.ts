import type { Logger } from 'pino';
import type { AppChannel } from '../app-channel';
import type { ReceivedMessage } from '../components/pubsub/pubsub';
import { errorMessage } from '../errors';
import { hasExpired, parseCloudEvent, parseGoBool, wrapRawPayload, type CloudEvent } from './cloudevents';
import type { Publisher, PubSubTarget } from './publisher';
import type { InboundPolicy } from './retry';
import type { Router } from './routing';
import type { Subscription } from './subscriptions';

/** Everything one running subscription needs to turn broker messages into deliveries. */
export interface SubscriptionContext {
  subscription: Subscription;
  target: PubSubTarget;
  router: Router;
  channel: AppChannel;
  publisher: Publisher;
  policy: InboundPolicy;
  logger: Logger;
  /** Aborted when the graceful-shutdown period ends: deliveries and retry waits stop, messages are nacked. */
  stopSignal: AbortSignal;
}

/** A message ready for the app: the event (for routing and trace headers) and the bytes to send. */
export interface Deliverable {
  event: CloudEvent;
  body: Buffer;
  path: string;
  topic: string;
  /** Message metadata plus `pubsubname`: what becomes headers. */
  metadata: Record<string, string>;
}

/** The shutdown cut a delivery short: nack, and never dead-letter. */
export class StoppedError extends Error {
  constructor() {
    super('the sidecar is stopping; the message goes back to the broker');
  }
}

/**
 * daprd's steps before a delivery: read the event (or wrap a raw payload), fall back to the message metadata for
 * trace fields, drop an expired event, pick the route. Undefined means ack without delivering (expired, or no
 * rule matched), after a dead-letter attempt when the subscription has one. Throws when the message is unreadable
 * or a rule fails to evaluate.
 */
export async function prepare(ctx: SubscriptionContext, msg: ReceivedMessage): Promise<Deliverable | undefined> {
  const { target, subscription } = ctx;
  const topic = unprefixedTopic(ctx, msg.topic);
  const metadata = { ...msg.metadata, pubsubname: target.name };
  let event: CloudEvent;
  let body: Buffer;
  if (isRawPayload(subscription.metadata)) {
    event = wrapRawPayload(msg.data, topic, target.name, metadata);
    body = Buffer.from(JSON.stringify(event), 'utf8');
  } else {
    event = parseCloudEvent(msg.data);
    addTraceFallback(event, metadata);
    body = msg.data;
  }
  if (hasExpired(event)) {
    ctx.logger.warn(`dropping expired pub/sub event ${String(event['id'])} as of ${String(event['expiration'])}`);
    await deadLetter(ctx, msg);
    return undefined;
  }
  const path = ctx.router(event);
  if (!path) {
    ctx.logger.debug(`no matching route for event ${String(event['id'])} in pubsub ${target.name} and topic ${topic}; skipping`);
    await deadLetter(ctx, msg);
    return undefined;
  }
  return { event, body, path, topic, metadata };
}

/**
 * Publishes the message's original bytes and metadata to the dead-letter topic on the same pub/sub, through the
 * publisher (so publishing scopes apply, as in daprd). False when there is no dead-letter topic or it failed.
 */
export async function deadLetter(ctx: SubscriptionContext, msg: ReceivedMessage): Promise<boolean> {
  const topic = ctx.subscription.deadLetterTopic;
  if (!topic) return false;
  try {
    await ctx.publisher.publish(ctx.target, { topic, data: msg.data, metadata: { ...msg.metadata, pubsubname: ctx.target.name } });
    return true;
  } catch (err) {
    ctx.logger.error(`error sending message to dead letter, origin topic: ${msg.topic} dead letter topic ${topic} err: ${errorMessage(err)}`);
    return false;
  }
}

/** A failed message: to the dead-letter topic (ack) when it has one, else rethrown (nack: the broker redelivers). */
export async function failed(ctx: SubscriptionContext, msg: ReceivedMessage, err: unknown): Promise<void> {
  if (err instanceof StoppedError || ctx.stopSignal.aborted) throw err;
  if (await deadLetter(ctx, msg)) return;
  throw err;
}

/** `rawPayload` on the subscription; the JS SDK sends metadata values JSON-quoted (`"\"true\""`), so quotes are dropped. */
export function isRawPayload(metadata: Record<string, string>): boolean {
  const value = metadata['rawPayload'];
  if (!value) return false;
  return parseGoBool(value.replace(/^"(.*)"$/, '$1')) ?? false;
}

function addTraceFallback(event: CloudEvent, metadata: Record<string, string>): void {
  if (event['traceid'] === undefined && metadata['traceid'] !== undefined) event['traceid'] = metadata['traceid'];
  if (event['traceparent'] === undefined && metadata['traceparent'] !== undefined) {
    event['traceparent'] = metadata['traceparent'];
    event['traceid'] = metadata['traceparent'];
  }
  if (event['tracestate'] === undefined && metadata['tracestate'] !== undefined) event['tracestate'] = metadata['tracestate'];
}

function unprefixedTopic(ctx: SubscriptionContext, topic: string): string {
  const prefix = ctx.publisher.topicPrefix(ctx.target);
  return prefix && topic.startsWith(prefix) ? topic.slice(prefix.length) : topic;
}
