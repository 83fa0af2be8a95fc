import { connect, type NatsConnection } from 'nats';
import type { PubSub } from '../src/components/pubsub/pubsub';
import { Cleanup, createPubSub, Inbox, payloads, publishAll, uniqueName } from './conformance/harness';
import { startNatsServer, type OwnNatsServer } from './support/nats-server';
import { waitFor } from './support/poll';

// The shared NATS with JetStream (scripts/services.sh starts it for `npm test`).
const NATS_URL = 'nats://127.0.0.1:4222';

describe('pubsub.jetstream', () => {
  let admin: NatsConnection;
  const cleanup = new Cleanup();
  const streams: string[] = [];

  beforeAll(async () => {
    admin = await connect({ servers: NATS_URL });
  });
  afterEach(async () => {
    await cleanup.run();
    const jsm = await admin.jetstreamManager();
    for (const stream of streams.splice(0)) await jsm.streams.delete(stream).catch(() => undefined);
  });
  afterAll(async () => {
    await admin.close();
  });

  /** A component on a stream of the test's own, which afterEach deletes. */
  async function jetstream(metadata: Record<string, string> = {}, appId = 'app'): Promise<PubSub> {
    return cleanup.add(await createPubSub('pubsub.jetstream', { natsURL: NATS_URL, ackWait: '1s', ...metadata }, appId));
  }
  function newStream(): string {
    const name = uniqueName('jstest');
    streams.push(name);
    return name;
  }

  it('creates the stream when no stream holds the topic, and delivers what was published before the subscriber came', async () => {
    const topic = uniqueName('orders.created.');
    const pubsub = await jetstream();
    await pubsub.publish({ topic, data: Buffer.from('first'), metadata: {} });
    const jsm = await admin.jetstreamManager();
    const stream = await jsm.streams.find(topic);
    streams.push(stream);
    expect((await jsm.streams.info(stream)).config.subjects).toEqual([topic]);

    const inbox = new Inbox();
    cleanup.addUnsubscribe(await pubsub.subscribe({ topic, metadata: {} }, inbox.handler));
    await waitFor('the message published before subscribing', () => inbox.handled.has('first'));
    expect([...inbox.topics]).toEqual([topic]);
  });

  it('adds topics to the stream named by streamName', async () => {
    const streamName = newStream();
    const pubsub = await jetstream({ streamName });
    await pubsub.publish({ topic: `${streamName}.a`, data: Buffer.from('a'), metadata: {} });
    await pubsub.publish({ topic: `${streamName}.b`, data: Buffer.from('b'), metadata: {} });
    const info = await (await admin.jetstreamManager()).streams.info(streamName);
    expect(info.config.subjects).toEqual([`${streamName}.a`, `${streamName}.b`]);
    expect(info.state.messages).toBe(2);
  });

  it.each([
    ['a space', 'orders created'],
    ['a * wildcard', 'orders.*'],
    ['a > wildcard', 'orders.>'],
    ['an empty token', 'orders..created'],
  ])('refuses a topic with %s, which is no NATS subject', async (_what, topic) => {
    const pubsub = await jetstream();
    await expect(pubsub.publish({ topic, data: Buffer.from('x'), metadata: {} })).rejects.toThrow(`topic '${topic}' is not a valid NATS subject`);
    await expect(pubsub.subscribe({ topic, metadata: {} }, async () => undefined)).rejects.toThrow('is not a valid NATS subject');
  });

  it.each([
    [{}, 'natsURL is required'],
    [{ natsURL: NATS_URL, jwt: 'eyJ' }, 'jwt needs seedKey'],
    [{ natsURL: NATS_URL, tls_client_key: '/k.pem' }, 'tls_client_key needs tls_client_cert'],
    [{ natsURL: NATS_URL, deliverPolicy: 'oldest' }, 'deliverPolicy must be one of all, last, new, sequence, time'],
    [{ natsURL: NATS_URL, deliverPolicy: 'sequence' }, 'deliverPolicy sequence needs startSequence'],
    [{ natsURL: NATS_URL, backOff: '1s, 2s', maxDeliver: '2' }, 'maxDeliver must be greater than the number of backOff durations'],
    [{ natsURL: NATS_URL, ackWait: 'soon' }, 'ackWait must be a duration'],
  ])('refuses bad metadata %j at init', async (metadata, message) => {
    await expect(createPubSub('pubsub.jetstream', metadata)).rejects.toThrow(message);
  });

  it('redelivers a message after its handler failed (NAK), then acks it', async () => {
    const topic = uniqueName('redeliver.');
    const pubsub = await jetstream({ streamName: newStream() });
    const inbox = new Inbox((_p, attempt) => attempt <= 2);
    cleanup.addUnsubscribe(await pubsub.subscribe({ topic, metadata: {} }, inbox.handler));
    await publishAll(pubsub, topic, ['m']);
    await waitFor('the third delivery to succeed', () => inbox.handled.has('m'));
    expect(inbox.attempts('m')).toBe(3);
  });

  it('stops redelivering after maxDeliver attempts', async () => {
    const topic = uniqueName('maxdeliver.');
    const stream = newStream();
    const pubsub = await jetstream({ streamName: stream, maxDeliver: '3', ackWait: '200ms' });
    const inbox = new Inbox(() => true);
    cleanup.addUnsubscribe(await pubsub.subscribe({ topic, metadata: {} }, inbox.handler));
    await publishAll(pubsub, topic, ['poison']);
    await waitFor('three deliveries', () => inbox.attempts('poison') >= 3);
    // The consumer reports nothing left to deliver once the server has given up on the message.
    const jsm = await admin.jetstreamManager();
    const consumers = await jsm.consumers.list(stream).next();
    await waitFor('the consumer to give the message up', async () => {
      const info = await jsm.consumers.info(stream, consumers[0]!.name);
      return info.num_ack_pending === 0 && info.num_pending === 0;
    });
    expect(inbox.attempts('poison')).toBe(3);
  });

  it('shares messages between replicas of one consumer ID and gives another consumer ID every message', async () => {
    const topic = uniqueName('shared.');
    const streamName = newStream();
    // No handler fails here: a long ackWait keeps a slow ack from looking like a double delivery.
    const replicaA = await jetstream({ streamName, consumerID: 'orders', ackWait: '30s' });
    const replicaB = await jetstream({ streamName, consumerID: 'orders', ackWait: '30s' });
    const otherApp = await jetstream({ streamName, consumerID: 'audit', ackWait: '30s' });
    const [inA, inB, inOther] = [new Inbox(), new Inbox(), new Inbox()];
    // The replicas take one message at a time, so both stay busy while the other pulls.
    const slow = (inbox: Inbox) => async (m: Parameters<Inbox['handler']>[0]) => {
      await new Promise((resolve) => setTimeout(resolve, 2));
      await inbox.handler(m);
    };
    cleanup.addUnsubscribe(await replicaA.subscribe({ topic, metadata: {} }, slow(inA)));
    cleanup.addUnsubscribe(await replicaB.subscribe({ topic, metadata: {} }, slow(inB)));
    cleanup.addUnsubscribe(await otherApp.subscribe({ topic, metadata: {} }, inOther.handler));

    const sent = payloads('m', 1000);
    await publishAll(replicaA, topic, sent);
    await waitFor('every message at the second app', () => inOther.missing(sent).length === 0, 30_000);
    await waitFor('every message at one of the replicas', () => sent.every((p) => inA.handled.has(p) || inB.handled.has(p)), 30_000);
    expect(inA.deliveries.filter((p) => inB.handled.has(p))).toEqual([]);
    expect(inA.handled.size).toBeGreaterThan(0);
    expect(inB.handled.size).toBeGreaterThan(0);
  });

  it('starts a new consumer at new messages with deliverPolicy new', async () => {
    const topic = uniqueName('policy.');
    const streamName = newStream();
    const publisher = await jetstream({ streamName });
    await publishAll(publisher, topic, ['old']);
    const subscriber = await jetstream({ streamName, deliverPolicy: 'new', consumerID: 'late' });
    const inbox = new Inbox();
    cleanup.addUnsubscribe(await subscriber.subscribe({ topic, metadata: {} }, inbox.handler));
    await publishAll(publisher, topic, ['new']);
    await waitFor('the new message', () => inbox.handled.has('new'));
    expect(inbox.deliveries).toEqual(['new']);
  });

  it('starts a new consumer at startSequence', async () => {
    const topic = uniqueName('sequence.');
    const streamName = newStream();
    const publisher = await jetstream({ streamName });
    await publishAll(publisher, topic, ['s1', 's2', 's3']);
    const subscriber = await jetstream({ streamName, startSequence: '2', consumerID: 'from-two' });
    const inbox = new Inbox();
    cleanup.addUnsubscribe(await subscriber.subscribe({ topic, metadata: {} }, inbox.handler));
    await waitFor('the third message', () => inbox.handled.has('s3'));
    expect(inbox.deliveries).toEqual(['s2', 's3']);
  });

  it('waits for the running handler when a subscription stops, and leaves the rest to the next subscriber', async () => {
    const topic = uniqueName('stop.');
    const streamName = newStream();
    const pubsub = await jetstream({ streamName });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = new Inbox();
    const stop = await pubsub.subscribe({ topic, metadata: {} }, async (m) => {
      await gate;
      await first.handler(m);
    });
    await publishAll(pubsub, topic, ['a', 'b', 'c']);
    await waitFor('the first handler to start', async () => (await (await admin.jetstreamManager()).consumers.list(streamName).next())[0]?.num_ack_pending);
    let stopped = false;
    const stopping = stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect([...first.handled]).toEqual(['a']);

    const second = new Inbox();
    cleanup.addUnsubscribe(await pubsub.subscribe({ topic, metadata: {} }, second.handler));
    await waitFor('the messages the first subscriber did not handle', () => second.handled.has('b') && second.handled.has('c'));
    expect(second.handled.has('a')).toBe(false);
  });

  describe('with a NATS server of its own', () => {
    let server: OwnNatsServer;
    beforeAll(async () => {
      server = await startNatsServer();
    });
    afterAll(async () => {
      await server.dispose();
    });

    it('delivers every message at least once when the server restarts in the middle of a 1,000-message run', async () => {
      const topic = uniqueName('restart.');
      const pubsub = cleanup.add(await createPubSub('pubsub.jetstream', { natsURL: server.url, ackWait: '2s' }));
      const inbox = new Inbox();
      // A handler that takes a moment, so messages are still waiting in the stream when the server goes down.
      cleanup.addUnsubscribe(
        await pubsub.subscribe({ topic, metadata: {} }, async (m) => {
          await new Promise((resolve) => setTimeout(resolve, 2));
          await inbox.handler(m);
        }),
      );
      const sent = payloads('r', 1000);
      await publishAll(pubsub, topic, sent.slice(0, 500), 30_000);
      await waitFor('the subscriber to be part-way through', () => inbox.handled.size >= 50);
      expect(inbox.handled.size).toBeLessThan(500);
      await server.restart();
      await publishAll(pubsub, topic, sent.slice(500), 30_000);
      await waitFor('every message after the restart', () => inbox.missing(sent).length === 0, 60_000);
    }, 90_000);

    it('delivers messages published while the subscriber was away once it subscribes again', async () => {
      const topic = uniqueName('away.');
      const subscriber = cleanup.add(await createPubSub('pubsub.jetstream', { natsURL: server.url, consumerID: 'away' }));
      const first = new Inbox();
      const stop = await subscriber.subscribe({ topic, metadata: {} }, first.handler);
      await stop();
      await subscriber.close();

      const publisher = cleanup.add(await createPubSub('pubsub.jetstream', { natsURL: server.url }));
      const sent = payloads('w', 1000);
      await publishAll(publisher, topic, sent);
      const back = cleanup.add(await createPubSub('pubsub.jetstream', { natsURL: server.url, consumerID: 'away' }));
      const second = new Inbox();
      cleanup.addUnsubscribe(await back.subscribe({ topic, metadata: {} }, second.handler));
      await waitFor('every message published while away', () => second.missing(sent).length === 0, 30_000);
    }, 60_000);
  });
});
