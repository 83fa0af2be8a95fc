import { ComponentConfigError } from '../../../errors';
import type { ComponentContext } from '../../registry';
import { consumerIdOf } from '../pubsub';

/** `pubsub.aws.snssqs` metadata, parsed once at init with daprd's names (and old aliases), defaults and checks. */
export interface SnsSqsMetadata {
  /** Undefined: the AWS SDK's own region chain (AWS_REGION, profile). */
  region?: string;
  /** Undefined: the AWS default credential chain (env, profile, web identity, container/instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  endpoint?: string;
  /** The SQS queue of this consumer: `consumerID`, which defaults to the app id. */
  queueName: string;
  deadLettersQueueName?: string;
  messageReceiveLimit?: number;
  messageVisibilityTimeout: number;
  messageRetryLimit: number;
  disableDeleteOnRetryLimit: boolean;
  messageWaitTimeSeconds: number;
  messageMaxNumber: number;
  fifo: boolean;
  fifoMessageGroupID: string;
  disableEntityManagement: boolean;
  assetsManagementTimeoutMs: number;
  concurrencyMode: 'single' | 'parallel';
  accountId?: string;
}

export function parseSnsSqsMetadata(ctx: ComponentContext): SnsSqsMetadata {
  const md = ctx.metadata;
  const fail = (detail: string): never => {
    throw new ComponentConfigError(ctx.name, detail);
  };
  // daprd still reads the v0 names awsAccountID / awsSecret / awsRegion.
  const accessKey = md.string('accessKey') ?? md.string('awsAccountID');
  const secretKey = md.string('secretKey') ?? md.string('awsSecret');
  if (accessKey && !secretKey) fail('accessKey needs secretKey');
  if (secretKey && !accessKey) fail('secretKey needs accessKey');

  const deadLettersQueueName = md.string('sqsDeadLettersQueueName');
  const messageReceiveLimit = md.has('messageReceiveLimit') ? md.int('messageReceiveLimit', 0, { min: 1 }) : undefined;
  if (Boolean(deadLettersQueueName) !== Boolean(messageReceiveLimit)) {
    fail('to use an SQS dead-letters queue, set both messageReceiveLimit and sqsDeadLettersQueueName');
  }
  const disableDeleteOnRetryLimit = md.bool('disableDeleteOnRetryLimit', false);
  if (disableDeleteOnRetryLimit && deadLettersQueueName) fail('disableDeleteOnRetryLimit cannot be true when sqsDeadLettersQueueName is set');

  const queueName = consumerIdOf(ctx);
  const assetsSeconds = Number(md.string('assetsManagementTimeoutSeconds', '5'));
  if (!Number.isFinite(assetsSeconds) || assetsSeconds <= 0) fail(`assetsManagementTimeoutSeconds must be a positive number, got '${md.string('assetsManagementTimeoutSeconds')}'`);

  return {
    region: md.string('region') ?? md.string('awsRegion'),
    credentials: accessKey && secretKey ? { accessKeyId: accessKey, secretAccessKey: secretKey, sessionToken: md.string('sessionToken') } : undefined,
    endpoint: md.string('endpoint'),
    queueName,
    deadLettersQueueName,
    messageReceiveLimit,
    messageVisibilityTimeout: md.int('messageVisibilityTimeout', 10, { min: 1, max: 43_200 }),
    messageRetryLimit: md.int('messageRetryLimit', 10, { min: 2 }),
    disableDeleteOnRetryLimit,
    // Long polling: SQS accepts up to 20 s.
    messageWaitTimeSeconds: md.int('messageWaitTimeSeconds', 2, { min: 1, max: 20 }),
    messageMaxNumber: md.int('messageMaxNumber', 10, { min: 1, max: 10 }),
    fifo: md.bool('fifo', false),
    // daprd's current code defaults the message group to the consumer ID, so one publisher's messages stay in order.
    fifoMessageGroupID: md.string('fifoMessageGroupID') ?? queueName,
    disableEntityManagement: md.bool('disableEntityManagement', false),
    assetsManagementTimeoutMs: assetsSeconds * 1000,
    // daprd's default for SNS/SQS: the messages of a batch are handled in parallel.
    concurrencyMode: md.enumOf('concurrencyMode', ['single', 'parallel'] as const, 'parallel'),
    accountId: md.string('accountId') ?? md.string('accountID'),
  };
}
