/** The pub/sub building block: what every broker implements. The sidecar builds envelopes; brokers move bytes. */

export type PubSubFeature = 'MESSAGE_TTL' | 'SUBSCRIBE_WILDCARDS' | 'BULK_PUBSUB';

export interface PublishRequest {
  topic: string;
  /** The bytes to put on the broker: the CloudEvent JSON, or the raw payload. */
  data: Buffer;
  contentType?: string;
  metadata: Record<string, string>;
}

export interface ReceivedMessage {
  topic: string;
  data: Buffer;
  /** Broker metadata; daprd turns each entry into a header on the delivery to the app. */
  metadata: Record<string, string>;
}

/** Resolves when the message is handled (ack); rejects to ask the broker for a redelivery (nack). */
export type MessageHandler = (message: ReceivedMessage) => Promise<void>;

export interface SubscribeRequest {
  topic: string;
  metadata: Record<string, string>;
}

export interface PubSub {
  readonly features: ReadonlySet<PubSubFeature>;
  publish(req: PublishRequest): Promise<void>;
  /** Starts delivering; the returned function stops it and waits for in-flight handlers. */
  subscribe(req: SubscribeRequest, handler: MessageHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
