import type { PubSub } from '../../src/components/pubsub/pubsub';
import { waitFor } from '../support/poll';
import { createPubSub, Inbox, payloads, publishAll, uniqueName } from './harness';
import { BROKER_TARGETS, type BrokerTarget } from './targets';

/**
 * components-contrib's pub/sub conformance cases (tests/conformance/pubsub/pubsub.go), at the PubSub interface,
 * for every broker: N messages with handler failures that force redeliveries (all handled at least once), order
 * where the broker promises it, two topics with two handlers, stopping one subscriber without disturbing
 * another, and (durable brokers) a subscriber that stops and comes back losing nothing.
 */

const MESSAGES = 20;
/** As the conformance test: the first two messages and then every 5th fail on their first delivery. */
const failsFirstTime = (sent: string[]) => {
  const failing = new Set(sent.filter((_p, i) => i < 2 || i % 5 === 0));
  return { failing, fail: (payload: string, attempt: number) => failing.has(payload) && attempt === 1 };
};

function brokerSuite(target: BrokerTarget) {
  const run = uniqueName('conf');
  const topics: string[] = [];
  const components: PubSub[] = [];
  let pubsub: PubSub;
  /** A topic of this run; `-` keeps it valid on every broker (a NATS subject, a sanitised SNS name). */
  const topic = (name: string) => {
    const t = `${run}-${name}`;
    topics.push(t);
    return t;
  };
  /** A component of this run's consumer ID; one created after another with the same ID is the same subscriber coming back. */
  const component = async (consumerID = `${run}-app`) => {
    const created = await createPubSub(target.type, { ...target.metadata(run), consumerID });
    components.push(created);
    return created;
  };

  beforeAll(async () => {
    pubsub = await component();
  });
  afterAll(async () => {
    for (const c of components) await c.close().catch(() => undefined);
    await target.cleanup(run, topics);
  });

  it(`delivers all ${MESSAGES} messages at least once, redelivering those whose handler failed`, async () => {
    const t = topic('redeliver');
    const sent = payloads('m', MESSAGES);
    const { failing, fail } = failsFirstTime(sent);
    const inbox = new Inbox(fail);
    const stop = await pubsub.subscribe({ topic: t, metadata: {} }, inbox.handler);
    try {
      await publishAll(pubsub, t, sent);
      await waitFor(`all ${MESSAGES} messages handled`, () => inbox.missing(sent).length === 0, 20_000);
      for (const p of failing) expect(inbox.attempts(p)).toBeGreaterThanOrEqual(2);
    } finally {
      await stop();
    }
  });

  it('gives each of two topics only its own messages, through its own handler', async () => {
    const [t1, t2] = [topic('multi1'), topic('multi2')];
    const [in1, in2] = [new Inbox(), new Inbox()];
    const stops = [await pubsub.subscribe({ topic: t1, metadata: {} }, in1.handler), await pubsub.subscribe({ topic: t2, metadata: {} }, in2.handler)];
    try {
      const [sent1, sent2] = [payloads('one', 5), payloads('two', 5)];
      await publishAll(pubsub, t1, sent1);
      await publishAll(pubsub, t2, sent2);
      await waitFor('both topics delivered', () => in1.missing(sent1).length === 0 && in2.missing(sent2).length === 0, 20_000);
      expect([...in1.handled].sort()).toEqual(sent1);
      expect([...in2.handled].sort()).toEqual(sent2);
      expect([...in1.topics, ...in2.topics]).toEqual([t1, t2]);
    } finally {
      await Promise.all(stops.map((stop) => stop()));
    }
  });

  it('keeps delivering to one subscriber after another one stopped', async () => {
    const [t1, t2] = [topic('stop1'), topic('stop2')];
    const [in1, in2] = [new Inbox(), new Inbox()];
    const stop1 = await pubsub.subscribe({ topic: t1, metadata: {} }, in1.handler);
    const stop2 = await pubsub.subscribe({ topic: t2, metadata: {} }, in2.handler);
    try {
      await publishAll(pubsub, t1, ['before']);
      await waitFor('the first subscriber to work', () => in1.handled.has('before'), 20_000);
      await stop1();
      const sent = payloads('after', 5);
      await publishAll(pubsub, t1, ['unseen']);
      await publishAll(pubsub, t2, sent);
      await waitFor('the second subscriber to get everything', () => in2.missing(sent).length === 0, 20_000);
      expect(in1.deliveries).toEqual(['before']);
    } finally {
      await stop2();
    }
  });

  if (target.ordered) {
    it('delivers in publish order (first deliveries), even while some handlers fail', async () => {
      const t = topic('order');
      const sent = payloads('o', MESSAGES);
      const inbox = new Inbox(failsFirstTime(sent).fail);
      const stop = await pubsub.subscribe({ topic: t, metadata: {} }, inbox.handler);
      try {
        await publishAll(pubsub, t, sent);
        await waitFor(`all ${MESSAGES} messages handled`, () => inbox.missing(sent).length === 0, 20_000);
        expect(inbox.firstDeliveries()).toEqual(sent);
      } finally {
        await stop();
      }
    });
  }

  if (target.durable) {
    it('loses nothing when a subscriber stops and comes back: what was published meanwhile arrives', async () => {
      const t = topic('restart');
      const consumerID = `${run}-returning`;
      const first = await component(consumerID);
      const before = new Inbox();
      const stop = await first.subscribe({ topic: t, metadata: {} }, before.handler);
      await publishAll(pubsub, t, ['before']);
      await waitFor('the first subscription to work', () => before.handled.has('before'), 20_000);
      await stop();
      await first.close();

      const sent = payloads('meanwhile', 10);
      await publishAll(pubsub, t, sent);
      const back = await component(consumerID);
      const after = new Inbox();
      const stopAgain = await back.subscribe({ topic: t, metadata: {} }, after.handler);
      try {
        await waitFor('the messages published while it was away', () => after.missing(sent).length === 0, 20_000);
      } finally {
        await stopAgain();
      }
    });
  }
}

describe.each(BROKER_TARGETS)('pub/sub conformance: $type', (target) => brokerSuite(target));
