import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { awsSanitizedName } from './aws-names';
import { queueAcceptsTopics } from './iam-policies';
import type { MessagingPlan } from './messaging-plan';

export interface MessagingArgs {
  plan: MessagingPlan;
  /** Receives before SQS moves a message to the dead-letter queue; below the Component's `messageRetryLimit` (daprd: 10), or daprd deletes it first. */
  maxReceiveCount?: number;
}

const FOURTEEN_DAYS = 14 * 24 * 3600;

/**
 * SNS/SQS laid out the way daprd's snssqs component lays it out itself: an SNS topic per topic, an SQS queue per
 * consumer id fed by SNS subscriptions from every topic it consumes, here with a dead-letter queue per queue and a
 * queue policy that admits only those topics. The tags are the ones daprd puts on entities it creates.
 */
export class Messaging extends pulumi.ComponentResource {
  /** By Dapr topic name. */
  readonly topics: Record<string, aws.sns.Topic> = {};
  /** By app id. */
  readonly queues: Record<string, aws.sqs.Queue> = {};
  readonly deadLetterQueues: Record<string, aws.sqs.Queue> = {};

  constructor(name: string, args: MessagingArgs, opts?: pulumi.ComponentResourceOptions) {
    super('template:aws:Messaging', name, {}, opts);
    const parent = { parent: this };

    for (const topic of args.plan.topics) {
      this.topics[topic] = new aws.sns.Topic(`topic-${topic}`, {
        name: awsSanitizedName(topic),
        tags: { 'dapr-topic-name': topic },
      }, parent);
    }

    for (const queue of args.plan.queues) {
      const dlq = new aws.sqs.Queue(`dlq-${queue.appId}`, {
        name: queue.deadLetterQueueName,
        messageRetentionSeconds: FOURTEEN_DAYS,
        sqsManagedSseEnabled: true,
        tags: { 'dapr-dead-letter-queue-of': queue.queueName },
      }, parent);
      const sqsQueue = new aws.sqs.Queue(`queue-${queue.appId}`, {
        name: queue.queueName,
        sqsManagedSseEnabled: true,
        redrivePolicy: dlq.arn.apply((deadLetterTargetArn) =>
          JSON.stringify({ deadLetterTargetArn, maxReceiveCount: args.maxReceiveCount ?? 5 }),
        ),
        tags: { 'dapr-queue-name': queue.queueName },
      }, parent);
      this.queues[queue.appId] = sqsQueue;
      this.deadLetterQueues[queue.appId] = dlq;

      const topicArns = queue.topics.map((topic) => this.topics[topic]!.arn);
      new aws.sqs.QueuePolicy(`queue-${queue.appId}`, {
        queueUrl: sqsQueue.url,
        policy: pulumi.all([sqsQueue.arn, ...topicArns]).apply(([queueArn, ...arns]) => JSON.stringify(queueAcceptsTopics(queueArn, arns))),
      }, parent);
      for (const topic of queue.topics) {
        // daprd reads the SNS envelope ({Message, TopicArn}) from each SQS message, so raw delivery stays off.
        new aws.sns.TopicSubscription(`sub-${topic}-${queue.appId}`, {
          topic: this.topics[topic]!.arn,
          protocol: 'sqs',
          endpoint: sqsQueue.arn,
          rawMessageDelivery: false,
        }, parent);
      }
    }
    this.registerOutputs({});
  }
}
