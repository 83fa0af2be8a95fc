import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from 'pino';
import { ComponentConfigError } from '../../errors';
import type { ComponentContext } from '../registry';
import { InFlight } from './in-flight';
import type { MessageHandler, PubSub, PubSubFeature, PublishRequest, SubscribeRequest, Unsubscribe } from './pubsub';
import { SnsSqsEntities } from './snssqs/entities';
import { parseSnsSqsMetadata, type SnsSqsMetadata } from './snssqs/metadata';
import { sanitizedAwsName } from './snssqs/names';
import { QueuePoller } from './snssqs/queue-poller';

/**
 * `pubsub.aws.snssqs` (alias `pubsub.snssqs`): an SNS topic per topic and one SQS queue per consumer ID,
 * subscribed to each topic it listens to (raw delivery off, so each message carries its TopicArn). Replicas of
 * one app share the queue and so its messages; another app id has its own queue and gets every message.
 * Names are sanitised as daprd does, so a daprd app and ours can share the same topics and queues.
 */
export class SnsSqsPubSub implements PubSub {
  readonly features: ReadonlySet<PubSubFeature> = new Set<PubSubFeature>();
  private readonly entities: SnsSqsEntities;
  private readonly subscriptions = new Set<Unsubscribe>();
  private poller?: QueuePoller;
  private closed = false;

  private constructor(
    private readonly sns: SNSClient,
    private readonly sqs: SQSClient,
    private readonly meta: SnsSqsMetadata,
    private readonly logger: Logger,
  ) {
    this.entities = new SnsSqsEntities(sns, sqs, meta);
  }

  static async create(ctx: ComponentContext): Promise<SnsSqsPubSub> {
    const meta = parseSnsSqsMetadata(ctx);
    // No endpoint means AWS itself; no credentials means the SDK's default chain (env, profile, IRSA, instance role).
    const config = { region: meta.region, credentials: meta.credentials, endpoint: meta.endpoint };
    const sns = new SNSClient(config);
    const sqs = new SQSClient(config);
    try {
      await sqs.config.region();
    } catch {
      sns.destroy();
      sqs.destroy();
      throw new ComponentConfigError(ctx.name, 'region is required: set the region metadata (or awsRegion), or AWS_REGION');
    }
    return new SnsSqsPubSub(sns, sqs, meta, ctx.logger);
  }

  async publish(req: PublishRequest): Promise<void> {
    this.checkOpen();
    const topicArn = await this.entities.topicArn(req.topic);
    await this.sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: req.data.toString('utf8'),
        MessageGroupId: this.meta.fifo ? this.meta.fifoMessageGroupID : undefined,
      }),
    );
  }

  async subscribe(req: SubscribeRequest, handler: MessageHandler): Promise<Unsubscribe> {
    this.checkOpen();
    const sanitizedTopic = sanitizedAwsName(req.topic, this.meta.fifo);
    const topicArn = await this.entities.topicArn(req.topic);
    const queue = await this.entities.queue(this.meta.queueName);
    const deadLetters = this.meta.deadLettersQueueName ? await this.entities.queue(this.meta.deadLettersQueueName) : undefined;
    await this.entities.subscribeQueue(queue, topicArn, deadLetters);

    const limit = req.maxConcurrentMessages ?? (this.meta.concurrencyMode === 'parallel' ? this.meta.messageMaxNumber : 1);
    const subscription = { topic: req.topic, handler, inFlight: new InFlight(limit) };
    const poller = (this.poller ??= new QueuePoller(this.sqs, queue, Boolean(deadLetters), this.meta, this.logger));
    // Messages are routed by sanitised topic name, so two subscriptions to one topic (or to two topics that
    // sanitise alike) in one component could not be told apart.
    if (poller.has(sanitizedTopic)) throw new Error(`pubsub.aws.snssqs: already subscribed to a topic named ${sanitizedTopic} (from '${req.topic}')`);
    poller.add(sanitizedTopic, subscription);

    let stopped: Promise<void> | undefined;
    const unsubscribe: Unsubscribe = () =>
      (stopped ??= poller.remove(sanitizedTopic, subscription).finally(() => this.subscriptions.delete(unsubscribe)));
    this.subscriptions.add(unsubscribe);
    this.logger.debug({ topic: req.topic, topicArn, queue: queue.arn }, 'subscribed to SNS/SQS');
    return unsubscribe;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((stop) => stop()));
    this.sns.destroy();
    this.sqs.destroy();
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('pubsub.aws.snssqs component is closed');
  }
}

export function createSnsSqsPubSub(ctx: ComponentContext): Promise<PubSub> {
  return SnsSqsPubSub.create(ctx);
}
