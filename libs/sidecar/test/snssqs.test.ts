import {
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { DeleteQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { PubSub } from '../src/components/pubsub/pubsub';
import { Cleanup, createPubSub, Inbox, payloads, publishAll, uniqueName } from './conformance/harness';
import { waitFor } from './support/poll';

// moto_server on loopback (scripts/services.sh starts it for `npm test`); nothing here may reach real AWS.
const ENDPOINT = 'http://127.0.0.1:4566';
const AWS = { endpoint: ENDPOINT, region: 'us-east-1', accessKey: 'test', secretKey: 'test' };
const client = { endpoint: ENDPOINT, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };

describe('pubsub.aws.snssqs', () => {
  const sns = new SNSClient(client);
  const sqs = new SQSClient(client);
  const cleanup = new Cleanup();
  let prefix: string;

  beforeEach(() => {
    prefix = uniqueName('snst');
  });
  afterEach(async () => {
    await cleanup.run();
    // Every topic and queue a test makes starts with its prefix.
    const queues = (await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }))).QueueUrls ?? [];
    for (const url of queues) await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    const topics = (await sns.send(new ListTopicsCommand({}))).Topics ?? [];
    for (const { TopicArn } of topics.filter((t) => t.TopicArn!.includes(`:${prefix}`))) await sns.send(new DeleteTopicCommand({ TopicArn }));
  });
  afterAll(() => {
    sns.destroy();
    sqs.destroy();
  });

  /** Short visibility timeouts and polls keep redelivery tests quick. */
  async function snssqs(metadata: Record<string, string> = {}, type = 'pubsub.aws.snssqs'): Promise<PubSub> {
    return cleanup.add(
      await createPubSub(type, { ...AWS, consumerID: `${prefix}-app`, messageVisibilityTimeout: '1', messageWaitTimeSeconds: '1', ...metadata }),
    );
  }
  async function queueAttributes(name: string): Promise<Record<string, string>> {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    return (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes ?? {};
  }

  it('creates a sanitised SNS topic, a queue named after the consumer ID, its subscription and a policy that lets the topic send', async () => {
    const topic = `${prefix}.orders.created`;
    const pubsub = await snssqs({ consumerID: `${prefix}/stock` });
    cleanup.addUnsubscribe(await pubsub.subscribe({ topic, metadata: {} }, async () => undefined));

    const topicArn = `arn:aws:sns:us-east-1:123456789012:${prefix}orderscreated`;
    await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
    const attributes = await queueAttributes(`${prefix}stock`);
    const subscriptions = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions ?? [];
    expect(subscriptions.map((s) => [s.Protocol, s.Endpoint])).toEqual([['sqs', attributes['QueueArn']]]);
    const policy = JSON.parse(attributes['Policy']!) as { Statement: { Principal: unknown; Action: string; Condition: unknown }[] };
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Condition: { 'ForAllValues:ArnEquals': { 'aws:SourceArn': [topicArn] } },
      }),
    ]);
  });

  it('delivers each topic only to its own handler, under the topic name the app used', async () => {
    const pubsub = await snssqs({}, 'pubsub.snssqs');
    const [a, b] = [new Inbox(), new Inbox()];
    cleanup.addUnsubscribe(await pubsub.subscribe({ topic: `${prefix}.a`, metadata: {} }, a.handler));
    cleanup.addUnsubscribe(await pubsub.subscribe({ topic: `${prefix}.b`, metadata: {} }, b.handler));
    await publishAll(pubsub, `${prefix}.a`, ['a1', 'a2']);
    await publishAll(pubsub, `${prefix}.b`, ['b1']);
    await waitFor('both topics delivered', () => a.handled.size === 2 && b.handled.size === 1);
    expect([...a.handled].sort()).toEqual(['a1', 'a2']);
    expect([...b.handled]).toEqual(['b1']);
    expect([...a.topics, ...b.topics]).toEqual([`${prefix}.a`, `${prefix}.b`]);
  });

  it('redelivers a message after the visibility timeout when its handler failed, then deletes it', async () => {
    const topic = `${prefix}-retry`;
    const pubsub = await snssqs();
    const inbox = new Inbox((_p, attempt) => attempt === 1);
    cleanup.addUnsubscribe(await pubsub.subscribe({ topic, metadata: {} }, inbox.handler));
    await publishAll(pubsub, topic, ['m']);
    await waitFor('the second delivery to succeed', () => inbox.handled.has('m'));
    expect(inbox.attempts('m')).toBe(2);
    const attributes = await queueAttributes(`${prefix}-app`);
    expect([attributes['ApproximateNumberOfMessages'], attributes['ApproximateNumberOfMessagesNotVisible']]).toEqual(['0', '0']);
  });

  it('deletes a message unhandled once it was received messageRetryLimit times', async () => {
    const topic = `${prefix}-limit`;
    const pubsub = await snssqs({ messageRetryLimit: '3' });
    const inbox = new Inbox(() => true);
    cleanup.addUnsubscribe(await pubsub.subscribe({ topic, metadata: {} }, inbox.handler));
    await publishAll(pubsub, topic, ['poison']);
    await waitFor('the queue to be empty after the third receive', async () => {
      const attributes = await queueAttributes(`${prefix}-app`);
      return inbox.attempts('poison') === 2 && attributes['ApproximateNumberOfMessages'] === '0' && attributes['ApproximateNumberOfMessagesNotVisible'] === '0';
    });
    expect(inbox.attempts('poison')).toBe(2);
  });

  it('keeps handing over a message past messageRetryLimit with disableDeleteOnRetryLimit', async () => {
    const topic = `${prefix}-keep`;
    const pubsub = await snssqs({ messageRetryLimit: '2', disableDeleteOnRetryLimit: 'true' });
    const inbox = new Inbox((_p, attempt) => attempt < 4);
    cleanup.addUnsubscribe(await pubsub.subscribe({ topic, metadata: {} }, inbox.handler));
    await publishAll(pubsub, topic, ['stubborn']);
    await waitFor('the fourth delivery to succeed', () => inbox.handled.has('stubborn'), 20_000);
    expect(inbox.attempts('stubborn')).toBe(4);
  });

  it('moves a message that keeps failing to the dead-letters queue after messageReceiveLimit receives', async () => {
    const topic = `${prefix}-dlq`;
    const pubsub = await snssqs({ sqsDeadLettersQueueName: `${prefix}-dead`, messageReceiveLimit: '2' });
    const inbox = new Inbox(() => true);
    cleanup.addUnsubscribe(await pubsub.subscribe({ topic, metadata: {} }, inbox.handler));
    await publishAll(pubsub, topic, ['doomed']);
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: `${prefix}-dead` }));
    const dead = await waitFor(
      'the message in the dead-letters queue',
      async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }))).Messages?.[0],
      20_000,
    );
    expect((JSON.parse(dead.Body!) as { Message: string }).Message).toBe('doomed');
    expect(inbox.attempts('doomed')).toBe(2);
  });

  it('only looks entities up with disableEntityManagement: publishing to a missing topic fails, existing ones work', async () => {
    const topic = `${prefix}-managed`;
    const unmanaged = await snssqs({ disableEntityManagement: 'true' });
    await expect(unmanaged.publish({ topic: `${prefix}-missing`, data: Buffer.from('x'), metadata: {} })).rejects.toThrow(`SNS topic ${prefix}-missing does not exist`);
    await expect(unmanaged.subscribe({ topic, metadata: {} }, async () => undefined)).rejects.toThrow();

    const managed = await snssqs();
    await (await managed.subscribe({ topic, metadata: {} }, async () => undefined))();
    const inbox = new Inbox();
    cleanup.addUnsubscribe(await unmanaged.subscribe({ topic, metadata: {} }, inbox.handler));
    await publishAll(unmanaged, topic, ['via existing entities']);
    await waitFor('the message through the existing topic and queue', () => inbox.handled.has('via existing entities'));
  });

  it('keeps publish order with fifo, on .fifo topics and queues', async () => {
    const topic = `${prefix}-ordered`;
    const pubsub = await snssqs({ fifo: 'true', concurrencyMode: 'single' });
    const inbox = new Inbox();
    cleanup.addUnsubscribe(await pubsub.subscribe({ topic, metadata: {} }, inbox.handler));
    const sent = payloads('f', 30);
    await publishAll(pubsub, topic, sent);
    await waitFor('every fifo message', () => inbox.missing(sent).length === 0);
    expect(inbox.deliveries).toEqual(sent);
    expect((await queueAttributes(`${prefix}-app.fifo`))['FifoQueue']).toBe('true');
  });

  it('shares one queue between replicas of a consumer ID and gives another consumer ID every message', async () => {
    const topic = `${prefix}-shared`;
    // No handler fails here: a long visibility timeout keeps a slow delete from looking like a double delivery.
    const shared = { messageVisibilityTimeout: '30' };
    const replicaA = await snssqs({ ...shared, consumerID: `${prefix}-orders` });
    const replicaB = await snssqs({ ...shared, consumerID: `${prefix}-orders` });
    const otherApp = await snssqs({ ...shared, consumerID: `${prefix}-audit` });
    const [inA, inB, inOther] = [new Inbox(), new Inbox(), new Inbox()];
    cleanup.addUnsubscribe(await replicaA.subscribe({ topic, metadata: {} }, inA.handler));
    cleanup.addUnsubscribe(await replicaB.subscribe({ topic, metadata: {} }, inB.handler));
    cleanup.addUnsubscribe(await otherApp.subscribe({ topic, metadata: {} }, inOther.handler));
    const sent = payloads('s', 200);
    await publishAll(replicaA, topic, sent);
    await waitFor('every message at the second app', () => inOther.missing(sent).length === 0, 30_000);
    await waitFor('every message at one of the replicas', () => sent.every((p) => inA.handled.has(p) || inB.handled.has(p)), 30_000);
    expect(inA.deliveries.filter((p) => inB.handled.has(p))).toEqual([]);
    expect(inA.handled.size).toBeGreaterThan(0);
    expect(inB.handled.size).toBeGreaterThan(0);
  }, 60_000);

  it('delivers what was published while the subscriber was away once it subscribes again', async () => {
    const topic = `${prefix}-away`;
    const subscriber = await snssqs();
    await (await subscriber.subscribe({ topic, metadata: {} }, async () => undefined))();
    await subscriber.close();
    const publisher = await snssqs({ consumerID: `${prefix}-publisher` });
    const sent = payloads('w', 200);
    await publishAll(publisher, topic, sent);
    const back = await snssqs();
    const inbox = new Inbox();
    cleanup.addUnsubscribe(await back.subscribe({ topic, metadata: {} }, inbox.handler));
    await waitFor('every message published while away', () => inbox.missing(sent).length === 0, 30_000);
  }, 60_000);

  it('refuses a second subscription to a topic whose sanitised name is taken, since messages could not be told apart', async () => {
    const pubsub = await snssqs();
    cleanup.addUnsubscribe(await pubsub.subscribe({ topic: `${prefix}.x`, metadata: {} }, async () => undefined));
    await expect(pubsub.subscribe({ topic: `${prefix}x`, metadata: {} }, async () => undefined)).rejects.toThrow(`already subscribed to a topic named ${prefix}x`);
  });

  it('waits for the running handler when a subscription stops, and deletes only what was handled', async () => {
    const topic = `${prefix}-stop`;
    const pubsub = await snssqs({ concurrencyMode: 'single' });
    // The queue and its subscription exist before the messages, so one receive takes all three.
    await (await pubsub.subscribe({ topic, metadata: {} }, async () => undefined))();
    await publishAll(pubsub, topic, ['a', 'b', 'c']);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = new Inbox();
    let started = false;
    const stop = await pubsub.subscribe({ topic, metadata: {} }, async (m) => {
      started = true;
      await gate;
      await first.handler(m);
    });
    await waitFor('the first handler to start', () => started);
    let stopped = false;
    const stopping = stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(first.handled.size).toBe(1);

    const second = new Inbox();
    cleanup.addUnsubscribe(await pubsub.subscribe({ topic, metadata: {} }, second.handler));
    await waitFor('the two messages the first subscription did not handle', () => second.handled.size === 2);
    expect([...first.handled, ...second.handled].sort()).toEqual(['a', 'b', 'c']);
  });

  it.each([
    [{ messageRetryLimit: '1' }, 'messageRetryLimit must be ≥ 2'],
    [{ messageMaxNumber: '11' }, 'messageMaxNumber must be ≤ 10'],
    [{ messageVisibilityTimeout: '0' }, 'messageVisibilityTimeout must be ≥ 1'],
    [{ sqsDeadLettersQueueName: 'dead' }, 'set both messageReceiveLimit and sqsDeadLettersQueueName'],
    [{ sqsDeadLettersQueueName: 'dead', messageReceiveLimit: '3', disableDeleteOnRetryLimit: 'true' }, 'disableDeleteOnRetryLimit cannot be true'],
    [{ accessKey: 'only-half', secretKey: '' }, 'accessKey needs secretKey'],
    [{ fifo: 'maybe' }, 'fifo must be a boolean'],
  ])('refuses bad metadata %j at init', async (metadata, message) => {
    await expect(createPubSub('pubsub.aws.snssqs', { ...AWS, ...metadata })).rejects.toThrow(message);
  });

  it('asks for a region when neither the metadata nor the environment has one', async () => {
    const saved = { AWS_REGION: process.env['AWS_REGION'], AWS_DEFAULT_REGION: process.env['AWS_DEFAULT_REGION'], AWS_CONFIG_FILE: process.env['AWS_CONFIG_FILE'] };
    delete process.env['AWS_REGION'];
    delete process.env['AWS_DEFAULT_REGION'];
    process.env['AWS_CONFIG_FILE'] = '/nonexistent';
    try {
      await expect(createPubSub('pubsub.aws.snssqs', { endpoint: ENDPOINT, accessKey: 'test', secretKey: 'test' })).rejects.toThrow('region is required');
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
