import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { ComponentMetadata } from '../../src/components/metadata';
import type { PubSub, ReceivedMessage, Unsubscribe } from '../../src/components/pubsub/pubsub';
import { createComponent, type ComponentContext } from '../../src/components/registry';
import type { StateStore } from '../../src/components/state/state-store';

/** A name no other test run uses, so tests share the servers without seeing each other's streams and queues. */
export function uniqueName(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export function componentContext(name: string, metadata: Record<string, string>, appId = 'conformance-app'): ComponentContext {
  return {
    name,
    metadata: new ComponentMetadata(name, metadata),
    appId,
    logger: pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }),
  };
}

export async function createPubSub(type: string, metadata: Record<string, string>, appId?: string): Promise<PubSub> {
  return (await createComponent(type, componentContext('pubsub', metadata, appId))) as PubSub;
}

export async function createStateStore(type: string, metadata: Record<string, string>): Promise<StateStore> {
  return (await createComponent(type, componentContext('statestore', metadata))) as StateStore;
}

/** What a subscriber saw: every delivery in order, and the set of distinct payloads handled successfully. */
export class Inbox {
  readonly deliveries: string[] = [];
  readonly handled = new Set<string>();
  readonly topics = new Set<string>();
  private readonly counts = new Map<string, number>();

  constructor(private readonly fail: (payload: string, attempt: number) => boolean = () => false) {}

  readonly handler = async (message: ReceivedMessage): Promise<void> => {
    const payload = message.data.toString('utf8');
    this.deliveries.push(payload);
    this.counts.set(payload, this.attempts(payload) + 1);
    this.topics.add(message.topic);
    if (this.fail(payload, this.attempts(payload))) throw new Error(`handler failed ${payload} on purpose`);
    this.handled.add(payload);
  };

  attempts(payload: string): number {
    return this.counts.get(payload) ?? 0;
  }

  /** Payloads in the order they were first delivered. */
  firstDeliveries(): string[] {
    return [...new Set(this.deliveries)];
  }

  missing(expected: string[]): string[] {
    return expected.filter((p) => !this.handled.has(p));
  }
}

/** Publishes each payload, retrying a failed publish (a broker restarting) until it is accepted or time runs out. */
export async function publishAll(pubsub: PubSub, topic: string, payloads: string[], retryForMs = 0): Promise<void> {
  for (const payload of payloads) {
    const deadline = Date.now() + retryForMs;
    for (;;) {
      try {
        await pubsub.publish({ topic, data: Buffer.from(payload), contentType: 'text/plain', metadata: {} });
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }
}

export function payloads(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(5, '0')}`);
}

/** Stops every subscription and closes every component a test made, even when the test failed. */
export class Cleanup {
  private readonly steps: (() => Promise<unknown>)[] = [];

  add<T extends { close(): Promise<void> }>(component: T): T {
    this.steps.push(() => component.close());
    return component;
  }

  addUnsubscribe(stop: Unsubscribe): Unsubscribe {
    this.steps.push(stop);
    return stop;
  }

  defer(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    const steps = this.steps.splice(0).reverse();
    for (const step of steps) await step().catch(() => undefined);
  }
}
