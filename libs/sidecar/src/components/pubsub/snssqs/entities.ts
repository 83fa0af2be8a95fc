import {
  CreateTopicCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  SubscribeCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SnsSqsMetadata } from './metadata';
import { sanitizedAwsName } from './names';
import { allowTopicInQueuePolicy } from './queue-policy';

export interface QueueInfo {
  url: string;
  arn: string;
}

/**
 * The SNS topics, SQS queues and subscriptions a component uses, by name. With entity management (the default)
 * they are created — each create is idempotent, as in daprd — and with `disableEntityManagement` only looked up,
 * so a missing topic or queue is an error. Answers are cached; a failed lookup is not.
 */
export class SnsSqsEntities {
  private readonly topics = new Map<string, Promise<string>>();
  private readonly queues = new Map<string, Promise<QueueInfo>>();
  private readonly subscriptions = new Map<string, Promise<void>>();

  constructor(
    private readonly sns: SNSClient,
    private readonly sqs: SQSClient,
    private readonly meta: SnsSqsMetadata,
  ) {}

  topicArn(topic: string): Promise<string> {
    return cached(this.topics, sanitizedAwsName(topic, this.meta.fifo), (name) => (this.meta.disableEntityManagement ? this.findTopic(name) : this.createTopic(name, topic)));
  }

  queue(queueName: string): Promise<QueueInfo> {
    return cached(this.queues, sanitizedAwsName(queueName, this.meta.fifo), (name) => (this.meta.disableEntityManagement ? this.findQueue(name) : this.createQueue(name, queueName)));
  }

  /** Subscribes the queue to the topic, letting the topic send to it (queue policy); and its dead letters, if any. */
  subscribeQueue(queue: QueueInfo, topicArn: string, deadLetters?: QueueInfo): Promise<void> {
    return cached(this.subscriptions, `${queue.arn}|${topicArn}`, async () => {
      if (this.meta.disableEntityManagement) return this.findSubscription(queue, topicArn);
      await this.allowTopic(queue, topicArn);
      if (deadLetters) await this.setDeadLetters(queue, deadLetters);
      await this.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue.arn }), this.timeout());
    });
  }

  private async createTopic(name: string, topic: string): Promise<string> {
    const out = await this.sns.send(
      new CreateTopicCommand({
        Name: name,
        Tags: [{ Key: 'dapr-topic-name', Value: topic }],
        Attributes: this.meta.fifo ? { FifoTopic: 'true', ContentBasedDeduplication: 'true' } : undefined,
      }),
      this.timeout(),
    );
    return out.TopicArn!;
  }

  private async findTopic(name: string): Promise<string> {
    if (this.meta.accountId && this.meta.region) {
      const arn = `arn:${partitionOf(this.meta.region)}:sns:${this.meta.region}:${this.meta.accountId}:${name}`;
      const out = await this.sns.send(new GetTopicAttributesCommand({ TopicArn: arn }), this.timeout());
      return out.Attributes!['TopicArn']!;
    }
    // Without the account id the ARN cannot be built: find the topic by name in the account's list.
    let token: string | undefined;
    do {
      const page = await this.sns.send(new ListTopicsCommand({ NextToken: token }), this.timeout());
      const arn = page.Topics?.map((t) => t.TopicArn!).find((a) => a.endsWith(`:${name}`));
      if (arn) return arn;
      token = page.NextToken;
    } while (token);
    throw new Error(`SNS topic ${name} does not exist and disableEntityManagement is set`);
  }

  private async createQueue(name: string, queueName: string): Promise<QueueInfo> {
    const out = await this.sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        tags: { 'dapr-queue-name': queueName },
        Attributes: this.meta.fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'true' } : undefined,
      }),
      this.timeout(),
    );
    return { url: out.QueueUrl!, arn: await this.queueArn(out.QueueUrl!) };
  }

  private async findQueue(name: string): Promise<QueueInfo> {
    const out = await this.sqs.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: this.meta.accountId }), this.timeout());
    return { url: out.QueueUrl!, arn: await this.queueArn(out.QueueUrl!) };
  }

  private async queueArn(url: string): Promise<string> {
    const out = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }), this.timeout());
    return out.Attributes!.QueueArn!;
  }

  private async allowTopic(queue: QueueInfo, topicArn: string): Promise<void> {
    const out = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['Policy'] }), this.timeout());
    const policy = allowTopicInQueuePolicy(out.Attributes?.Policy, queue.arn, topicArn);
    if (policy) await this.sqs.send(new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: { Policy: policy } }), this.timeout());
  }

  private async setDeadLetters(queue: QueueInfo, deadLetters: QueueInfo): Promise<void> {
    const redrivePolicy = JSON.stringify({ deadLetterTargetArn: deadLetters.arn, maxReceiveCount: String(this.meta.messageReceiveLimit) });
    await this.sqs.send(new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: { RedrivePolicy: redrivePolicy } }), this.timeout());
  }

  private async findSubscription(queue: QueueInfo, topicArn: string): Promise<void> {
    let token: string | undefined;
    do {
      const page = await this.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: token }), this.timeout());
      if (page.Subscriptions?.some((s) => s.Endpoint === queue.arn)) return;
      token = page.NextToken;
    } while (token);
    throw new Error(`SQS queue ${queue.arn} is not subscribed to ${topicArn} and disableEntityManagement is set`);
  }

  /** Each management call is bounded by assetsManagementTimeoutSeconds, as daprd's are. */
  private timeout(): { abortSignal: AbortSignal } {
    return { abortSignal: AbortSignal.timeout(this.meta.assetsManagementTimeoutMs) };
  }
}

function cached<T>(cache: Map<string, Promise<T>>, key: string, make: (key: string) => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (!value) {
    value = make(key);
    cache.set(key, value);
    value.catch(() => cache.delete(key));
  }
  return value;
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
