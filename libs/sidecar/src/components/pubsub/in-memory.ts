import type { ComponentContext } from '../registry';
import {
  consumerIdOf,
  type MessageHandler,
  type PubSub,
  type PubSubFeature,
  type PublishRequest,
  type ReceivedMessage,
  type SubscribeRequest,
  type Unsubscribe,
} from './pubsub';

/**
 * `pubsub.in-memory`: a bus shared by every sidecar in this process that loads a component of this name (the
 * `npm start` runner hosts all sidecars in one process, so its apps talk through it). Messages live only as long
 * as the process does.
 *
 * Unlike daprd's in-memory broker, which logs a failed delivery and forgets it, this one keeps the message and
 * hands it out again after `redeliverInterval` (default 1s; `0` restores daprd's drop-on-failure). Each
 * consumer ID is a group that gets every message once; subscribers in a group compete. A subscriber gets its
 * messages in publish order, except that a redelivered message comes after those published while it waited.
 * A topic published to before any group subscribed to it keeps nothing, as daprd's does.
 */

const DEFAULT_REDELIVER_INTERVAL_MS = 1000;

interface Envelope {
  topic: string;
  data: Buffer;
  metadata: Record<string, string>;
}

interface Subscriber {
  handler: MessageHandler;
  capacity: number;
  inFlight: number;
  idle: (() => void)[];
}

/** One consumer ID on one topic: its backlog and the subscribers competing for it. */
class ConsumerGroup {
  private readonly queue: Envelope[] = [];
  private readonly subscribers: Subscriber[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private next = 0;
  private scheduled = false;

  constructor(private readonly redeliverIntervalMs: number) {}

  enqueue(message: Envelope): void {
    this.queue.push(message);
    this.schedule();
  }

  add(subscriber: Subscriber): void {
    this.subscribers.push(subscriber);
    this.schedule();
  }

  async remove(subscriber: Subscriber): Promise<void> {
    const at = this.subscribers.indexOf(subscriber);
    if (at >= 0) this.subscribers.splice(at, 1);
    if (subscriber.inFlight > 0) await new Promise<void>((resolve) => subscriber.idle.push(resolve));
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.queue.length = 0;
  }

  /** Dispatches on a later tick, so `publish` never runs a handler on its own stack. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const subscriber = this.pickSubscriber();
      if (!subscriber) return;
      this.deliver(subscriber, this.queue.shift()!);
    }
  }

  /** Round-robin over the subscribers that have room, so competing consumers share the load. */
  private pickSubscriber(): Subscriber | undefined {
    const n = this.subscribers.length;
    for (let i = 0; i < n; i++) {
      const candidate = this.subscribers[(this.next + i) % n]!;
      if (candidate.inFlight < candidate.capacity) {
        this.next = (this.next + i + 1) % n;
        return candidate;
      }
    }
    return undefined;
  }

  private deliver(subscriber: Subscriber, message: Envelope): void {
    subscriber.inFlight++;
    const received: ReceivedMessage = { topic: message.topic, data: message.data, metadata: { ...message.metadata } };
    subscriber.handler(received).then(
      () => this.settled(subscriber),
      () => {
        this.redeliverLater(message);
        this.settled(subscriber);
      },
    );
  }

  private settled(subscriber: Subscriber): void {
    subscriber.inFlight--;
    if (subscriber.inFlight === 0) subscriber.idle.splice(0).forEach((resolve) => resolve());
    this.schedule();
  }

  private redeliverLater(message: Envelope): void {
    if (this.redeliverIntervalMs <= 0) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.queue.unshift(message);
      this.schedule();
    }, this.redeliverIntervalMs);
    timer.unref();
    this.timers.add(timer);
  }
}

/** Every topic's consumer groups for one component name; shared by all sidecars of the process. */
class Bus {
  readonly topics = new Map<string, Map<string, ConsumerGroup>>();
  users = 0;

  constructor(readonly redeliverIntervalMs: number) {}

  publish(message: Envelope): void {
    const groups = this.topics.get(message.topic);
    if (!groups) return;
    for (const group of groups.values()) group.enqueue(message);
  }

  group(topic: string, consumerId: string): ConsumerGroup {
    let groups = this.topics.get(topic);
    if (!groups) this.topics.set(topic, (groups = new Map()));
    let group = groups.get(consumerId);
    if (!group) groups.set(consumerId, (group = new ConsumerGroup(this.redeliverIntervalMs)));
    return group;
  }

  close(): void {
    for (const groups of this.topics.values()) for (const group of groups.values()) group.close();
    this.topics.clear();
  }
}

const BUSES = new Map<string, Bus>();

class InMemoryPubSub implements PubSub {
  readonly features = new Set<PubSubFeature>();
  private readonly subscriptions = new Set<Unsubscribe>();
  private closed = false;

  constructor(
    private readonly name: string,
    private readonly bus: Bus,
    private readonly consumerId: string,
  ) {}

  publish(req: PublishRequest): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`pubsub ${this.name} is closed`));
    this.bus.publish({ topic: req.topic, data: req.data, metadata: req.metadata });
    return Promise.resolve();
  }

  subscribe(req: SubscribeRequest, handler: MessageHandler): Promise<Unsubscribe> {
    const group = this.bus.group(req.topic, this.consumerId);
    const subscriber: Subscriber = { handler, capacity: Math.max(1, req.maxConcurrentMessages ?? 1), inFlight: 0, idle: [] };
    group.add(subscriber);
    let stopped: Promise<void> | undefined;
    const unsubscribe: Unsubscribe = () => {
      this.subscriptions.delete(unsubscribe);
      return (stopped ??= group.remove(subscriber));
    };
    this.subscriptions.add(unsubscribe);
    return Promise.resolve(unsubscribe);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((unsubscribe) => unsubscribe()));
    // The last sidecar using this bus takes its backlog with it; until then the others keep it.
    if (--this.bus.users === 0) {
      this.bus.close();
      BUSES.delete(this.name);
    }
  }
}

export function createInMemoryPubSub(ctx: ComponentContext): PubSub {
  const redeliverIntervalMs = ctx.metadata.durationMs('redeliverInterval', DEFAULT_REDELIVER_INTERVAL_MS);
  let bus = BUSES.get(ctx.name);
  if (!bus) BUSES.set(ctx.name, (bus = new Bus(redeliverIntervalMs)));
  else if (bus.redeliverIntervalMs !== redeliverIntervalMs) {
    ctx.logger.warn(`pubsub ${ctx.name} is already loaded in this process with redeliverInterval ${bus.redeliverIntervalMs} ms; that one is used`);
  }
  bus.users++;
  return new InMemoryPubSub(ctx.name, bus, consumerIdOf(ctx));
}
