import { DeleteTopicCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { DeleteQueueCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { connect } from 'nats';

/**
 * Every state store and broker the conformance suite runs against, on the shared test servers (Redis 6379,
 * NATS JetStream 4222, moto_server 4566 for SNS/SQS: scripts/services.sh starts them). Each target names a
 * component type; a type the registry does not know fails its whole block with the registry's message.
 * `run` is a name unique to one suite run, so runs share the servers without meeting, and cleanup removes
 * what a run left behind.
 */

const REDIS_HOST = '127.0.0.1:6379';
const NATS_URL = 'nats://127.0.0.1:4222';
const AWS_ENDPOINT = 'http://127.0.0.1:4566';
const AWS_METADATA = { endpoint: AWS_ENDPOINT, region: 'us-east-1', accessKey: 'test', secretKey: 'test' };

export interface StateTarget {
  type: string;
  metadata(run: string): Record<string, string>;
  /** An etag of the store's own format that no key has (Redis etags are numbers; the conformance config uses this one). */
  badEtag: string;
  cleanup(run: string): Promise<void>;
}

export interface BrokerTarget {
  type: string;
  /** The broker promises publish order on first delivery (components-contrib's checkInOrderProcessing). */
  ordered: boolean;
  /** Messages published while no subscriber runs wait for the consumer ID. */
  durable: boolean;
  /** Component metadata with short redelivery delays, so failed messages come back within a test. */
  metadata(run: string): Record<string, string>;
  cleanup(run: string, topics: string[]): Promise<void>;
}

const noCleanup = async (): Promise<void> => undefined;

export const STATE_TARGETS: StateTarget[] = [
  { type: 'state.in-memory', metadata: () => ({}), badEtag: '9999999', cleanup: noCleanup },
  {
    type: 'state.sqlite',
    metadata: (run) => ({ connectionString: join(tmpdir(), `${run}.db`) }),
    badEtag: '9999999',
    cleanup: async (run) => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(join(tmpdir(), `${run}.db${suffix}`), { force: true });
    },
  },
  {
    type: 'state.redis',
    metadata: () => ({ redisHost: REDIS_HOST }),
    badEtag: '9999999',
    cleanup: (run) => withRedis(async (redis) => deleteAll(redis, await redis.keys(`${run}||*`))),
  },
];

export const BROKER_TARGETS: BrokerTarget[] = [
  { type: 'pubsub.in-memory', ordered: true, durable: false, metadata: () => ({ redeliverInterval: '200ms' }), cleanup: noCleanup },
  {
    type: 'pubsub.redis',
    ordered: false,
    durable: true,
    metadata: () => ({ redisHost: REDIS_HOST, processingTimeout: '1s', redeliverInterval: '500ms' }),
    cleanup: (_run, topics) => withRedis((redis) => deleteAll(redis, topics)),
  },
  {
    type: 'pubsub.jetstream',
    ordered: true,
    durable: true,
    // All of a run's topics live in one stream of its own.
    metadata: (run) => ({ natsURL: NATS_URL, streamName: run, ackWait: '1s' }),
    cleanup: async (run) => {
      const nc = await connect({ servers: NATS_URL });
      try {
        await (await nc.jetstreamManager()).streams.delete(run).catch(() => undefined);
      } finally {
        await nc.close();
      }
    },
  },
  {
    type: 'pubsub.aws.snssqs',
    ordered: false,
    durable: true,
    metadata: () => ({ ...AWS_METADATA, messageVisibilityTimeout: '1', messageWaitTimeSeconds: '1' }),
    cleanup: async (run) => {
      const client = { endpoint: AWS_ENDPOINT, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
      const sns = new SNSClient(client);
      const sqs = new SQSClient(client);
      try {
        for (const url of (await sqs.send(new ListQueuesCommand({ QueueNamePrefix: run }))).QueueUrls ?? []) {
          await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
        }
        for (const { TopicArn } of (await sns.send(new ListTopicsCommand({}))).Topics ?? []) {
          if (TopicArn?.includes(`:${run}`)) await sns.send(new DeleteTopicCommand({ TopicArn }));
        }
      } finally {
        sns.destroy();
        sqs.destroy();
      }
    },
  },
];

async function withRedis(work: (redis: Redis) => Promise<unknown>): Promise<void> {
  const [host, port] = REDIS_HOST.split(':');
  const redis = new Redis({ host, port: Number(port), lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await work(redis);
  } finally {
    redis.disconnect();
  }
}

async function deleteAll(redis: Redis, keys: string[]): Promise<void> {
  if (keys.length > 0) await redis.del(...keys);
}
