import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { errorMessage } from '../../errors';
import type { ComponentContext } from '../registry';
import { closeRedis, connectRedis, duplicateConnection, parseRedisSettings, redisCommandError } from '../redis-connection';
import { InFlight } from './in-flight';
import { consumerIdOf, type MessageHandler, type PubSub, type PubSubFeature, type PublishRequest, type SubscribeRequest, type Unsubscribe } from './pubsub';

export interface RedisStreamsSettings {
  /** The consumer group, and (as in daprd) the consumer name inside it. */
  consumerID: string;
  redeliverIntervalMs: number;
  processingTimeoutMs: number;
  queueDepth: number;
  concurrency: number;
  maxLenApprox: number;
  streamTTLMs: number;
  blockMs: number;
}

/** [id, [field, value, ...] | null] as XREADGROUP and XAUTOCLAIM return them, in buffers. */
type StreamEntry = [Buffer, Buffer[] | null];

/**
 * `pubsub.redis`: Redis Streams as daprd uses them. Publish is `XADD <topic> * data <bytes> [metadata <json>]`;
 * each consumer ID is a consumer group created at the start of the stream; a message is XACKed only after its
 * handler resolved, and messages pending longer than `processingTimeout` are claimed again every
 * `redeliverInterval`.
 */
export class RedisStreamsPubSub implements PubSub {
  readonly features: ReadonlySet<PubSubFeature> = new Set<PubSubFeature>();
  private readonly subscriptions = new Set<StreamSubscription>();

  constructor(
    private readonly client: Redis,
    private readonly settings: RedisStreamsSettings,
    private readonly logger: Logger,
  ) {}

  async publish(req: PublishRequest): Promise<void> {
    const trim: (string | number)[] = [];
    // Redis takes one trim strategy per XADD; daprd's streamTTL (MINID) wins over maxLenApprox (MAXLEN).
    if (this.settings.streamTTLMs > 0) trim.push('MINID', '~', `${Date.now() - this.settings.streamTTLMs}-1`);
    else if (this.settings.maxLenApprox > 0) trim.push('MAXLEN', '~', this.settings.maxLenApprox);
    const fields: (string | Buffer)[] = ['data', req.data];
    if (Object.keys(req.metadata).length > 0) fields.push('metadata', JSON.stringify(req.metadata));
    try {
      await this.client.xadd(req.topic, ...trim, '*', ...fields);
    } catch (err) {
      throw redisCommandError(this.client, err);
    }
  }

  async subscribe(req: SubscribeRequest, handler: MessageHandler): Promise<Unsubscribe> {
    await createGroup(this.client, req.topic, this.settings.consumerID);
    const limit = Math.max(1, Math.min(this.settings.concurrency, req.maxConcurrentMessages ?? 1));
    const reader = duplicateConnection(this.client, {
      // A blocking read must outlive the command timeout; the client-side guard is BLOCK plus a grace period.
      commandTimeout: undefined,
      blockingTimeout: this.settings.blockMs,
    });
    const subscription = new StreamSubscription(this.client, reader, req.topic, this.settings, new InFlight(limit), handler, this.logger.child({ topic: req.topic }));
    this.subscriptions.add(subscription);
    subscription.start();
    return async () => {
      this.subscriptions.delete(subscription);
      await subscription.stop();
    };
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.subscriptions].map((s) => s.stop()));
    this.subscriptions.clear();
    await closeRedis(this.client);
  }
}

/** One topic's delivery loop: new messages on a dedicated blocking connection, plus the periodic re-claim. */
class StreamSubscription {
  private stopped = false;
  private readonly handling = new Set<string>();
  private readonly loops: Promise<void>[] = [];
  private reclaimTimer?: NodeJS.Timeout;
  private reclaiming?: Promise<void>;
  private failing = false;

  constructor(
    private readonly client: Redis,
    private readonly reader: Redis,
    private readonly topic: string,
    private readonly settings: RedisStreamsSettings,
    private readonly inFlight: InFlight,
    private readonly handler: MessageHandler,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.loops.push(this.readNew());
    const { redeliverIntervalMs, processingTimeoutMs } = this.settings;
    // daprd: a zero redeliverInterval or processingTimeout turns redelivery off.
    if (redeliverIntervalMs > 0 && processingTimeoutMs > 0) {
      this.reclaimSoon();
      this.reclaimTimer = setInterval(() => this.reclaimSoon(), redeliverIntervalMs);
    }
  }

  /** Stops reading, then waits for running handlers (and their XACKs); messages not handed over stay pending. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.reclaimTimer);
    this.reader.disconnect();
    await Promise.allSettled([...this.loops, this.reclaiming]);
    await this.inFlight.settled();
  }

  private async readNew(): Promise<void> {
    const { consumerID, queueDepth, blockMs } = this.settings;
    while (!this.stopped) {
      await this.inFlight.slot();
      if (this.stopped) return;
      try {
        if (this.reader.status === 'wait') await this.reader.connect();
        // At least 1: COUNT 0 would mean no limit, and the re-claim may have just taken the room.
        const count = Math.max(1, Math.min(queueDepth, this.inFlight.limit - this.inFlight.size));
        const reply = (await this.reader.callBuffer('xreadgroup', 'GROUP', consumerID, consumerID, 'COUNT', count, 'BLOCK', blockMs, 'STREAMS', this.topic, '>')) as
          | [Buffer, StreamEntry[]][]
          | null;
        this.recovered();
        for (const [, entries] of reply ?? []) await this.dispatchAll(entries);
      } catch (err) {
        if (this.stopped) return;
        await this.readFailed(err);
      }
    }
  }

  private async readFailed(err: unknown): Promise<void> {
    const message = errorMessage(err);
    if (!this.failing) this.logger.warn({ err: message }, `redis streams: error reading from stream ${this.topic}; retrying`);
    this.failing = true;
    // daprd recreates the group when Redis lost it (a restart without persistence, or a deleted stream).
    if (message.includes('NOGROUP')) await createGroup(this.client, this.topic, this.settings.consumerID).catch(() => undefined);
    await sleep(200);
  }

  private recovered(): void {
    if (this.failing) this.logger.info(`redis streams: reading from stream ${this.topic} again`);
    this.failing = false;
  }

  private reclaimSoon(): void {
    if (this.stopped || this.reclaiming) return;
    this.reclaiming = this.reclaim()
      .catch((err) => this.logger.debug({ err: errorMessage(err) }, `redis streams: could not claim pending messages of ${this.topic}`))
      .finally(() => (this.reclaiming = undefined));
  }

  /** Claims, for this consumer, messages that stayed pending (unacknowledged) longer than processingTimeout. */
  private async reclaim(): Promise<void> {
    const { consumerID, processingTimeoutMs, queueDepth } = this.settings;
    let cursor = '0-0';
    do {
      await this.inFlight.slot();
      if (this.stopped) return;
      const count = Math.max(1, Math.min(queueDepth, this.inFlight.limit - this.inFlight.size));
      const [next, entries] = (await this.client.callBuffer('xautoclaim', this.topic, consumerID, consumerID, processingTimeoutMs, cursor, 'COUNT', count)) as [Buffer, StreamEntry[]];
      cursor = next.toString();
      await this.dispatchAll(entries.filter(([id]) => !this.handling.has(id.toString())));
    } while (cursor !== '0-0' && !this.stopped);
  }

  private async dispatchAll(entries: StreamEntry[]): Promise<void> {
    for (const [rawId, fields] of entries) {
      const id = rawId.toString();
      // An entry trimmed from the stream while pending cannot be delivered: acknowledge it, as daprd does.
      if (!fields) {
        await this.client.xack(this.topic, this.settings.consumerID, id).catch(() => undefined);
        continue;
      }
      // The reader and the re-claim both dispatch: the room is taken in one step, so they never exceed the limit.
      const started = await this.inFlight.start(
        () => {
          this.handling.add(id);
          return this.deliver(id, fields);
        },
        () => !this.stopped,
      );
      // Read but not handed over before the stop: it stays pending for the group and is claimed again later.
      if (!started) return;
    }
  }

  private async deliver(id: string, fields: Buffer[]): Promise<void> {
    try {
      await this.handler({ topic: this.topic, data: field(fields, 'data') ?? Buffer.alloc(0), metadata: this.metadataOf(id, fields) });
      await this.client.xack(this.topic, this.settings.consumerID, id);
    } catch (err) {
      // Left pending: the re-claim loop delivers it again after processingTimeout.
      this.logger.debug({ err: errorMessage(err), id }, `redis streams: message ${id} of ${this.topic} not acknowledged`);
    } finally {
      this.handling.delete(id);
    }
  }

  private metadataOf(id: string, fields: Buffer[]): Record<string, string> {
    const raw = field(fields, 'metadata');
    if (!raw) return {};
    try {
      const parsed: unknown = JSON.parse(raw.toString('utf8'));
      return typeof parsed === 'object' && parsed !== null ? Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)])) : {};
    } catch {
      this.logger.warn(`redis streams: could not read the metadata of message ${id}`);
      return {};
    }
  }
}

function field(fields: Buffer[], name: string): Buffer | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i]!.toString() === name) return fields[i + 1];
  return undefined;
}

/** `XGROUP CREATE <topic> <group> 0 MKSTREAM`: a new group starts at the beginning of the stream, as in daprd. */
async function createGroup(client: Redis, topic: string, group: string): Promise<void> {
  try {
    await client.xgroup('CREATE', topic, group, '0', 'MKSTREAM');
  } catch (err) {
    if (!errorMessage(err).startsWith('BUSYGROUP')) throw err;
  }
}

export async function createRedisStreamsPubSub(ctx: ComponentContext): Promise<PubSub> {
  const md = ctx.metadata;
  const connection = parseRedisSettings(md);
  const settings: RedisStreamsSettings = {
    consumerID: consumerIdOf(ctx),
    // Bare numbers are seconds here, as components-contrib's metadata decoder reads a time.Duration.
    redeliverIntervalMs: md.durationMs('redeliverInterval', 60_000),
    processingTimeoutMs: md.durationMs('processingTimeout', 15_000),
    queueDepth: md.int('queueDepth', 100, { min: 1 }),
    concurrency: md.int('concurrency', 10, { min: 1 }),
    maxLenApprox: md.int('maxLenApprox', 0, { min: 0 }),
    streamTTLMs: md.durationMs('streamTTL', 0),
    blockMs: connection.readTimeoutMs,
  };
  const client = await connectRedis(connection, { role: 'redis streams', logger: ctx.logger });
  return new RedisStreamsPubSub(client, settings, ctx.logger);
}
