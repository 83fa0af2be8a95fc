import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from 'pino';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorMessage } from '../../../errors';
import type { InFlight } from '../in-flight';
import type { MessageHandler } from '../pubsub';
import type { SnsSqsMetadata } from './metadata';
import { nameOfArn } from './names';
import type { QueueInfo } from './entities';

export interface TopicSubscription {
  /** The topic as the app named it; SNS only knows its sanitised name. */
  topic: string;
  handler: MessageHandler;
  inFlight: InFlight;
}

interface SnsNotification {
  TopicArn?: string;
  Message?: string;
}

/**
 * Long-polls one SQS queue (one per consumer ID) and hands each SNS notification to the subscription of its
 * topic, found by the sanitised topic name at the end of the notification's TopicArn. A handled message is
 * deleted; a failed one is left to come back after `messageVisibilityTimeout`. As daprd, a message received
 * `messageRetryLimit` times without a dead-letters queue is deleted unhandled (unless `disableDeleteOnRetryLimit`).
 */
export class QueuePoller {
  private readonly subscriptions = new Map<string, TopicSubscription>();
  private polling?: { abort: AbortController; done: Promise<void> };

  constructor(
    private readonly sqs: SQSClient,
    private readonly queue: QueueInfo,
    private readonly hasDeadLetters: boolean,
    private readonly meta: SnsSqsMetadata,
    private readonly logger: Logger,
  ) {}

  has(sanitizedTopic: string): boolean {
    return this.subscriptions.has(sanitizedTopic);
  }

  add(sanitizedTopic: string, subscription: TopicSubscription): void {
    this.subscriptions.set(sanitizedTopic, subscription);
    if (!this.polling) {
      const abort = new AbortController();
      this.polling = { abort, done: this.poll(abort.signal) };
    }
  }

  /** Stops handing over the topic's messages, waits for its running handlers, and stops polling when none is left. */
  async remove(sanitizedTopic: string, subscription: TopicSubscription): Promise<void> {
    if (this.subscriptions.get(sanitizedTopic) === subscription) this.subscriptions.delete(sanitizedTopic);
    if (this.subscriptions.size === 0 && this.polling) {
      const { abort, done } = this.polling;
      this.polling = undefined;
      abort.abort();
      await done;
    }
    await subscription.inFlight.settled();
  }

  private async poll(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let messages: Message[];
      try {
        const out = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.queue.url,
            MaxNumberOfMessages: this.meta.messageMaxNumber,
            VisibilityTimeout: this.meta.messageVisibilityTimeout,
            WaitTimeSeconds: this.meta.messageWaitTimeSeconds,
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
          }),
          { abortSignal: signal },
        );
        messages = out.Messages ?? [];
        failures = 0;
      } catch (err) {
        if (signal.aborted) break;
        failures += 1;
        this.logger.warn({ queue: this.queue.arn, err: errorMessage(err) }, 'receiving from SQS failed; retrying');
        // Back off exponentially up to 30 s while SQS is unreachable.
        await sleep(Math.min(30_000, 100 * 2 ** failures), undefined, { signal }).catch(() => undefined);
        continue;
      }
      // As daprd, the next receive waits for the whole batch.
      const batch: Promise<void>[] = [];
      for (const message of messages) batch.push((await this.dispatch(message)).handling);
      await Promise.all(batch);
    }
  }

  /** Starts handling one message once its subscription has room; resolves (wrapped, so it is not awaited) to the handling. */
  private async dispatch(message: Message): Promise<{ handling: Promise<void> }> {
    const receiveCount = Number(message.Attributes?.ApproximateReceiveCount ?? '1');
    let resetOnFailure = false;
    if (!this.hasDeadLetters && receiveCount >= this.meta.messageRetryLimit) {
      if (!this.meta.disableDeleteOnRetryLimit) {
        this.logger.error({ queue: this.queue.arn, messageId: message.MessageId, receiveCount }, `message received ${receiveCount} times (messageRetryLimit); deleting it unhandled`);
        return { handling: this.delete(message) };
      }
      // Past the limit with deletes disabled, daprd makes a failed message visible again at once for other consumers.
      resetOnFailure = true;
    } else if (this.hasDeadLetters && receiveCount > this.meta.messageRetryLimit) {
      this.logger.error({ queue: this.queue.arn, messageId: message.MessageId, receiveCount }, 'message past messageRetryLimit should have moved to the dead-letters queue; not handling it');
      return { handling: Promise.resolve() };
    }

    const notification = parseNotification(message.Body);
    const topicName = notification?.TopicArn ? nameOfArn(notification.TopicArn) : '';
    const subscription = this.subscriptions.get(topicName);
    if (!notification || !subscription) {
      this.logger.warn(
        { queue: this.queue.arn, messageId: message.MessageId, topicArn: notification?.TopicArn },
        notification ? 'no subscription for the topic of this message; it returns after the visibility timeout' : 'message is not an SNS notification',
      );
      return { handling: Promise.resolve() };
    }
    await subscription.inFlight.slot();
    // The subscription stopped while this message waited for room: hand it back for the next subscriber at once.
    if (this.subscriptions.get(topicName) !== subscription) return { handling: this.makeVisible(message) };
    return { handling: subscription.inFlight.run(() => this.handle(message, notification.Message ?? '', subscription, resetOnFailure)) };
  }

  private async handle(message: Message, body: string, subscription: TopicSubscription, resetOnFailure: boolean): Promise<void> {
    try {
      await subscription.handler({ topic: subscription.topic, data: Buffer.from(body, 'utf8'), metadata: {} });
    } catch (err) {
      this.logger.warn({ topic: subscription.topic, messageId: message.MessageId, err: errorMessage(err) }, 'message not handled; SQS redelivers it after the visibility timeout');
      if (resetOnFailure) await this.makeVisible(message);
      return;
    }
    await this.delete(message);
  }

  private async makeVisible(message: Message): Promise<void> {
    await this.sqs
      .send(new ChangeMessageVisibilityCommand({ QueueUrl: this.queue.url, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 }))
      .catch((err: unknown) => this.logger.warn({ messageId: message.MessageId, err: errorMessage(err) }, 'could not make the message visible again'));
  }

  private async delete(message: Message): Promise<void> {
    try {
      await this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.queue.url, ReceiptHandle: message.ReceiptHandle }));
    } catch (err) {
      // The message comes back after the visibility timeout and is handled again: at-least-once.
      this.logger.warn({ queue: this.queue.arn, messageId: message.MessageId, err: errorMessage(err) }, 'could not delete a handled message');
    }
  }
}

function parseNotification(body: string | undefined): SnsNotification | undefined {
  try {
    const parsed = JSON.parse(body ?? '') as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as SnsNotification) : undefined;
  } catch {
    return undefined;
  }
}
