import pino from 'pino';
import { ComponentMetadata } from '../src/components/metadata';
import { createInMemoryPubSub } from '../src/components/pubsub/in-memory';
import type { PubSub, ReceivedMessage } from '../src/components/pubsub/pubsub';
import { waitFor } from './support/poll';

const logger = pino({ level: 'silent' });
let seq = 0;

/** A fresh bus name per test, so tests never share a backlog. */
function busName(): string {
  return `bus-${process.pid}-${++seq}`;
}

function open(name: string, appId: string, metadata: Record<string, string> = {}): PubSub {
  return createInMemoryPubSub({ name, appId, metadata: new ComponentMetadata(name, metadata), logger });
}

const publish = (bus: PubSub, topic: string, text: string) => bus.publish({ topic, data: Buffer.from(text), metadata: { from: 'test' } });
const texts = (messages: ReceivedMessage[]) => messages.map((m) => m.data.toString());

describe('pubsub.in-memory', () => {
  const opened: PubSub[] = [];
  const openTracked = (...args: Parameters<typeof open>) => {
    const bus = open(...args);
    opened.push(bus);
    return bus;
  };

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((b) => b.close()));
  });

  it('is shared by every component of the same name in the process', async () => {
    const name = busName();
    const publisher = openTracked(name, 'order');
    const subscriber = openTracked(name, 'stock');
    const got: ReceivedMessage[] = [];
    await subscriber.subscribe({ topic: 'order', metadata: {} }, async (m) => void got.push(m));
    await publish(publisher, 'order', 'one');
    await waitFor('the message', () => got.length === 1);
    expect(got[0]).toEqual({ topic: 'order', data: Buffer.from('one'), metadata: { from: 'test' } });
  });

  it('delivers every message once per consumer ID, and splits them among subscribers sharing one', async () => {
    const name = busName();
    const publisher = openTracked(name, 'order');
    const stock1 = openTracked(name, 'stock');
    const stock2 = openTracked(name, 'stock');
    const payment = openTracked(name, 'payment');
    const got: Record<string, string[]> = { stock1: [], stock2: [], payment: [] };
    const record = (who: string) => async (m: ReceivedMessage) => void got[who]!.push(m.data.toString());
    await stock1.subscribe({ topic: 't', metadata: {} }, record('stock1'));
    await stock2.subscribe({ topic: 't', metadata: {} }, record('stock2'));
    await payment.subscribe({ topic: 't', metadata: {} }, record('payment'));
    for (let i = 0; i < 10; i++) await publish(publisher, 't', String(i));
    await waitFor('all deliveries', () => got['payment']!.length === 10 && got['stock1']!.length + got['stock2']!.length === 10);
    expect(got['payment']).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect([...got['stock1']!, ...got['stock2']!].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(got['stock1']!.length).toBeGreaterThan(0);
    expect(got['stock2']!.length).toBeGreaterThan(0);
  });

  it('hands a subscriber one message at a time, in publish order', async () => {
    const bus = openTracked(busName(), 'app');
    const got: string[] = [];
    let running = 0;
    let overlapped = false;
    await bus.subscribe({ topic: 't', metadata: {} }, async (m) => {
      overlapped ||= ++running > 1;
      await new Promise((r) => setImmediate(r));
      got.push(m.data.toString());
      running--;
    });
    for (const text of ['a', 'b', 'c', 'd']) await publish(bus, 't', text);
    await waitFor('four messages', () => got.length === 4);
    expect(got).toEqual(['a', 'b', 'c', 'd']);
    expect(overlapped).toBe(false);
  });

  it('lets a subscriber take up to maxConcurrentMessages at once', async () => {
    const bus = openTracked(busName(), 'app');
    const waiting: (() => void)[] = [];
    await bus.subscribe({ topic: 't', metadata: {}, maxConcurrentMessages: 3 }, () => new Promise<void>((resolve) => waiting.push(resolve)));
    for (const text of ['a', 'b', 'c', 'd']) await publish(bus, 't', text);
    await waitFor('three in flight', () => waiting.length === 3);
    waiting.splice(0).forEach((release) => release());
    await waitFor('the fourth', () => waiting.length === 1);
    waiting[0]!();
  });

  it('redelivers a message whose handler rejected, after redeliverInterval', async () => {
    const bus = openTracked(busName(), 'app', { redeliverInterval: '20ms' });
    const attempts: string[] = [];
    await bus.subscribe({ topic: 't', metadata: {} }, async (m) => {
      attempts.push(m.data.toString());
      if (attempts.length === 1) throw new Error('nack');
    });
    await publish(bus, 't', 'again');
    await waitFor('the redelivery', () => attempts.length === 2);
    expect(attempts).toEqual(['again', 'again']);
  });

  it('forgets a rejected message with redeliverInterval 0, as daprd’s broker does', async () => {
    const bus = openTracked(busName(), 'app', { redeliverInterval: '0' });
    const attempts: string[] = [];
    await bus.subscribe({ topic: 't', metadata: {} }, async (m) => {
      attempts.push(m.data.toString());
      if (m.data.toString() === 'lost') throw new Error('nack');
    });
    await publish(bus, 't', 'lost');
    await publish(bus, 't', 'next');
    await waitFor('the next message', () => attempts.includes('next'));
    expect(attempts).toEqual(['lost', 'next']);
  });

  it('keeps a consumer group’s backlog after its subscribers stop, for the next one to take', async () => {
    const name = busName();
    const publisher = openTracked(name, 'order');
    const first = openTracked(name, 'stock');
    let release!: () => void;
    const got: string[] = [];
    const stop = await first.subscribe({ topic: 't', metadata: {} }, async (m) => {
      got.push(m.data.toString());
      await new Promise<void>((resolve) => (release = resolve));
    });
    await publish(publisher, 't', 'in-flight');
    await publish(publisher, 't', 'waiting');
    await waitFor('the first message in flight', () => got.length === 1);
    const stopped = stop();
    release();
    await stopped;
    const second = openTracked(name, 'stock');
    const later: string[] = [];
    await second.subscribe({ topic: 't', metadata: {} }, async (m) => void later.push(m.data.toString()));
    await waitFor('the waiting message', () => later.length === 1);
    expect(got).toEqual(['in-flight']);
    expect(later).toEqual(['waiting']);
  });

  it('keeps nothing for a topic nobody subscribed to', async () => {
    const name = busName();
    const bus = openTracked(name, 'app');
    await publish(bus, 't', 'nobody');
    const got: ReceivedMessage[] = [];
    await bus.subscribe({ topic: 't', metadata: {} }, async (m) => void got.push(m));
    await publish(bus, 't', 'somebody');
    await waitFor('the second message', () => got.length === 1);
    expect(texts(got)).toEqual(['somebody']);
  });
});
