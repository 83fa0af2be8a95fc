import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { PubSub } from '../src/components/pubsub/pubsub';
import { Cleanup, createPubSub, Inbox, payloads, publishAll, uniqueName } from './conformance/harness';
import { waitFor } from './support/poll';
import { startRedisServer } from './support/redis-server';

/**
 * `pubsub.redis` (Redis Streams) at the component level, against the shared Redis on 127.0.0.1:6379
 * (scripts/services.sh starts it for `npm test`). Every test uses streams of its own, deleted afterwards.
 */

const REDIS_HOST = '127.0.0.1:6379';
/** Fast redelivery, so a nacked message comes back within a test. */
const FAST_REDELIVERY = { processingTimeout: '300ms', redeliverInterval: '200ms' };

describe('pubsub.redis', () => {
  let redis: Redis;
  const cleanup = new Cleanup();
  const streams: string[] = [];

  beforeAll(() => {
    redis = new Redis(REDIS_HOST);
  });
  afterEach(async () => {
    await cleanup.run();
    const used = streams.splice(0);
    if (used.length > 0) await redis.del(...used);
  });
  afterAll(async () => {
    await redis.quit();
  });

  async function redisPubSub(metadata: Record<string, string> = {}, appId = 'app'): Promise<PubSub> {
    return cleanup.add(await createPubSub('pubsub.redis', { redisHost: REDIS_HOST, ...metadata }, appId));
  }
  function newTopic(): string {
    const topic = uniqueName('redis-pubsub-');
    streams.push(topic);
    return topic;
  }

  it('writes XADD <topic> * data <bytes> metadata <json>, trimmed with MAXLEN ~ maxLenApprox', async () => {
    const topic = newTopic();
    const pubsub = await redisPubSub({ maxLenApprox: '5' });
    await pubsub.publish({ topic, data: Buffer.from('{"id":1}'), metadata: { ttlInSeconds: '10' } });
    const [[, fields]] = (await redis.xrange(topic, '-', '+')) as [string, string[]][];
    expect(fields).toEqual(['data', '{"id":1}', 'metadata', '{"ttlInSeconds":"10"}']);

    await publishAll(pubsub, topic, payloads('trim', 500));
    // An approximate trim drops whole radix-tree nodes (100 entries by default), never leaves everything.
    expect(await redis.xlen(topic)).toBeLessThan(501);
  });

  it('delivers every published message, with its publish metadata, and acknowledges each one', async () => {
    const topic = newTopic();
    const pubsub = await redisPubSub();
    const received = new Map<string, Record<string, string>>();
    cleanup.addUnsubscribe(
      await pubsub.subscribe({ topic, metadata: {}, maxConcurrentMessages: 5 }, async (m) => {
        received.set(m.data.toString(), m.metadata);
      }),
    );
    const expected = payloads('msg', 100);
    for (const p of expected) await pubsub.publish({ topic, data: Buffer.from(p), metadata: { source: 'test' } });

    await waitFor('all 100 messages', () => received.size === 100);
    expect([...received.keys()].sort()).toEqual(expected);
    expect(received.get('msg-00042')).toEqual({ source: 'test' });
    await waitFor('no message left pending', async () => (await pending(topic, 'app')) === 0);
  });

  it('reads a stream from its start for a new consumer group: messages published before subscribing arrive', async () => {
    const topic = newTopic();
    const pubsub = await redisPubSub();
    await publishAll(pubsub, topic, ['early-1', 'early-2']);
    const inbox = new Inbox();
    cleanup.addUnsubscribe(await pubsub.subscribe({ topic, metadata: {} }, inbox.handler));
    await waitFor('both early messages', () => inbox.missing(['early-1', 'early-2']).length === 0);
  });

  it('redelivers a message whose handler failed, after processingTimeout, until it succeeds', async () => {
    const topic = newTopic();
    const pubsub = await redisPubSub(FAST_REDELIVERY);
    // Fails the first two attempts of every fifth message.
    const inbox = new Inbox((payload, attempt) => Number(payload.slice(-2)) % 5 === 0 && attempt <= 2);
    cleanup.addUnsubscribe(await pubsub.subscribe({ topic, metadata: {}, maxConcurrentMessages: 4 }, inbox.handler));
    const expected = payloads('retry', 30);
    await publishAll(pubsub, topic, expected);

    await waitFor('every message handled', () => inbox.missing(expected).length === 0, 20_000);
    expect(inbox.attempts('retry-00005')).toBe(3);
    await waitFor('no message left pending', async () => (await pending(topic, 'app')) === 0);
  });

  it('shares a consumer group between subscribers (none gets a message the other got) while another group gets all', async () => {
    const topic = newTopic();
    const [replicaA, replicaB, otherApp] = await Promise.all([redisPubSub({}, 'orders'), redisPubSub({}, 'orders'), redisPubSub({}, 'audit')]);
    const [a, b, other] = [new Inbox(), new Inbox(), new Inbox()];
    cleanup.addUnsubscribe(await replicaA.subscribe({ topic, metadata: {} }, a.handler));
    cleanup.addUnsubscribe(await replicaB.subscribe({ topic, metadata: {} }, b.handler));
    cleanup.addUnsubscribe(await otherApp.subscribe({ topic, metadata: {} }, other.handler));

    const expected = payloads('shared', 200);
    await publishAll(replicaA, topic, expected);
    await waitFor('the group orders to handle every message', () => a.handled.size + b.handled.size >= 200);
    await waitFor('the group audit to handle every message', () => other.handled.size === 200);

    expect([...a.handled].filter((p) => b.handled.has(p))).toEqual([]);
    expect([...new Set([...a.handled, ...b.handled])].sort()).toEqual(expected);
    expect(a.handled.size).toBeGreaterThan(0);
    expect(b.handled.size).toBeGreaterThan(0);
    expect(other.missing(expected)).toEqual([]);
  });

  it('loses nothing when a subscriber stops and a new one starts: unacknowledged messages are claimed again', async () => {
    const topic = newTopic();
    const first = await redisPubSub(FAST_REDELIVERY);
    // The first subscriber fails everything after 10 messages, so those stay pending in the group when it stops.
    const before = new Inbox((payload) => Number(payload.slice(-5)) >= 10);
    const stopFirst = await first.subscribe({ topic, metadata: {} }, before.handler);
    const expected = payloads('restart', 40);
    await publishAll(first, topic, expected.slice(0, 20));
    await waitFor('the first subscriber to see 20 messages', () => before.firstDeliveries().length === 20);
    await stopFirst();

    await publishAll(first, topic, expected.slice(20));
    const second = await redisPubSub(FAST_REDELIVERY);
    const after = new Inbox();
    cleanup.addUnsubscribe(await second.subscribe({ topic, metadata: {}, maxConcurrentMessages: 4 }, after.handler));

    await waitFor('every message handled by one of the two subscribers', () => expected.every((p) => before.handled.has(p) || after.handled.has(p)), 20_000);
    expect(before.handled.size).toBe(10);
  });

  it('stops cleanly: stopping waits for the running handler and acknowledges it, and nothing arrives afterwards', async () => {
    const topic = newTopic();
    const pubsub = await redisPubSub();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const finished: string[] = [];
    const seen: string[] = [];
    const stop = await pubsub.subscribe({ topic, metadata: {} }, async (m) => {
      seen.push(m.data.toString());
      await gate;
      finished.push(m.data.toString());
    });
    await pubsub.publish({ topic, data: Buffer.from('slow'), metadata: {} });
    await waitFor('the slow handler to start', () => seen.length === 1);

    const stopped = stop();
    await pubsub.publish({ topic, data: Buffer.from('after-stop'), metadata: {} });
    release();
    await stopped;

    expect(finished).toEqual(['slow']);
    expect(seen).toEqual(['slow']);
    expect(await pending(topic, 'app')).toBe(0);

    // The message published while stopping was left to the group: the next subscriber gets it, and only it.
    const next = new Inbox();
    cleanup.addUnsubscribe(await pubsub.subscribe({ topic, metadata: {} }, next.handler));
    await waitFor('the message published during the stop', () => next.handled.has('after-stop'));
    expect(next.deliveries).toEqual(['after-stop']);
  });

  it('keeps delivering after the consumer group disappears (a Redis that lost its data): it creates the group again', async () => {
    const topic = newTopic();
    const pubsub = await redisPubSub();
    const inbox = new Inbox();
    cleanup.addUnsubscribe(await pubsub.subscribe({ topic, metadata: {} }, inbox.handler));
    await publishAll(pubsub, topic, ['one']);
    await waitFor('the first message', () => inbox.handled.has('one'));

    await redis.del(topic);
    await waitFor('the group to be created again', async () => (await redis.exists(topic)) === 1, 10_000);
    await publishAll(pubsub, topic, ['two']);
    await waitFor('the message published after the loss', () => inbox.handled.has('two'), 10_000);
  });

  it('delivers every message at least once when Redis restarts in the middle of a 1,000-message run', async () => {
    // A server of this test's own, with an append-only file, so the stream and its group survive the restart.
    const server = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'always', '--dir', mkdtempSync(path.join(os.tmpdir(), 'redis-aof-'))]);
    cleanup.defer(() => server.stop());
    const topic = uniqueName('restart-run-');
    const pubsub = cleanup.add(await createPubSub('pubsub.redis', { redisHost: `127.0.0.1:${server.port}`, ...FAST_REDELIVERY }));
    const inbox = new Inbox();
    cleanup.addUnsubscribe(await pubsub.subscribe({ topic, metadata: {}, maxConcurrentMessages: 10 }, inbox.handler));

    const expected = payloads('run', 1000);
    await publishAll(pubsub, topic, expected.slice(0, 500), 10_000);
    await server.stop();
    await server.start();
    await publishAll(pubsub, topic, expected.slice(500), 10_000);

    await waitFor('all 1,000 messages after the restart', () => inbox.missing(expected).length === 0, 30_000);
  });

  async function pending(topic: string, group: string): Promise<number> {
    const [count] = (await redis.xpending(topic, group)) as [number];
    return count;
  }
});
