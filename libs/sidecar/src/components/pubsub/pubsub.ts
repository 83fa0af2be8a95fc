/**
 * The pub/sub building block: what every broker implements. The sidecar builds envelopes, routes, delivers,
 * retries and dead-letters; a broker only moves bytes and remembers what is not yet acknowledged.
 *
 * A broker's contract:
 * - `publish` resolves once the broker holds the message (accepted by the server, or queued in the bus); it
 *   rejects when it does not, and the API answers 500 ERR_PUBSUB_PUBLISH_MESSAGE.
 * - `subscribe(req, handler)`: deliver every message of `req.topic` to `handler`. The handler resolving means
 *   ack (remove the message for this consumer group); rejecting means nack: the broker redelivers it later, in
 *   its own way (at once, after a visibility timeout, a NAK delay...). Never ack a message whose handler has not
 *   resolved, and never drop one because the handler rejected.
 * - Consumer groups: every message is delivered once per consumer ID (component metadata `consumerID`,
 *   default the app id: `consumerIdOf(ctx)`). Subscribers sharing a consumer ID compete: each message goes to
 *   one of them. Different consumer IDs each get every message.
 * - `req.maxConcurrentMessages` is how many unacknowledged messages the handler can take at once (bulk
 *   subscribe asks for its batch size); a broker may deliver fewer, then batches are just smaller.
 * - The `Unsubscribe` that `subscribe` resolves to stops delivery: no new messages, and it waits for the
 *   handlers already running. Messages not yet handed over stay with the broker for the consumer group.
 * - A broker declaring `MESSAGE_TTL` honours `metadata.ttlInSeconds` of a publish itself; otherwise the
 *   sidecar writes `expiration` into the envelope and drops expired events on delivery.
 */

import type { ComponentContext } from '../registry';

export type PubSubFeature = 'MESSAGE_TTL' | 'SUBSCRIBE_WILDCARDS' | 'BULK_PUBSUB';

export interface PublishRequest {
  topic: string;
  /** The bytes to put on the broker: the CloudEvent JSON, or the raw payload. */
  data: Buffer;
  contentType?: string;
  /** The publish request's `metadata.*` query values (and, for a dead letter, the original message's metadata). */
  metadata: Record<string, string>;
}

export interface ReceivedMessage {
  /** The topic the message was published to (differs from the subscribed one for wildcard subscriptions). */
  topic: string;
  data: Buffer;
  /** Broker metadata; daprd turns each entry into a header on the delivery to the app. */
  metadata: Record<string, string>;
}

/** Resolves when the message is handled (ack); rejects to ask the broker for a redelivery (nack). */
export type MessageHandler = (message: ReceivedMessage) => Promise<void>;

export interface SubscribeRequest {
  topic: string;
  /** The subscription's metadata (`rawPayload`, broker-specific per-subscription settings). */
  metadata: Record<string, string>;
  /** Unacknowledged messages the handler can take at once; 1 (the default) keeps a subscriber's order. */
  maxConcurrentMessages?: number;
}

/** Stops delivery and resolves once the handlers already running have settled. */
export type Unsubscribe = () => Promise<void>;

export interface PubSub {
  readonly features: ReadonlySet<PubSubFeature>;
  publish(req: PublishRequest): Promise<void>;
  subscribe(req: SubscribeRequest, handler: MessageHandler): Promise<Unsubscribe>;
  close(): Promise<void>;
}

/** The consumer group a broker delivers to: `consumerID` from the component, or the app id as daprd defaults it. */
export function consumerIdOf(ctx: Pick<ComponentContext, 'metadata' | 'appId'>): string {
  return ctx.metadata.string('consumerID', ctx.appId)!;
}
