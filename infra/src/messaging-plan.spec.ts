import { MessagingPlanError, planMessaging, type DeclaredSubscription, type TopicFlow } from './messaging-plan';

const flow: TopicFlow = {
  order: { publishers: ['order'], subscribers: ['stock', 'payment'] },
  'create-order-reply': { publishers: ['stock', 'payment'], subscribers: ['order'] },
};
const appIds = ['order', 'stock', 'payment', 'front'];
const declared = (appId: string, topic: string, deadLetterTopic?: string): DeclaredSubscription => ({
  appId,
  topic,
  deadLetterTopic,
  file: 'k8s/components/eks/subscriptions.yaml',
});
const all = [declared('stock', 'order'), declared('payment', 'order'), declared('order', 'create-order-reply')];

describe('planMessaging', () => {
  it('gives each consuming app one queue fed by every topic it subscribes to', () => {
    const plan = planMessaging({ flow, subscriptions: all, appIds, pubsubName: 'order-pubsub' });
    expect(plan.topics).toEqual(['create-order-reply', 'order']);
    expect(plan.queues).toEqual([
      { appId: 'order', queueName: 'order', deadLetterQueueName: 'order-dlq', topics: ['create-order-reply'] },
      { appId: 'payment', queueName: 'payment', deadLetterQueueName: 'payment-dlq', topics: ['order'] },
      { appId: 'stock', queueName: 'stock', deadLetterQueueName: 'stock-dlq', topics: ['order'] },
    ]);
    expect(plan.publishes).toEqual({ order: ['order'], stock: ['create-order-reply'], payment: ['create-order-reply'] });
  });

  it('names queues by the consumer id, sanitised as daprd does', () => {
    const plan = planMessaging({ flow, subscriptions: all, appIds, pubsubName: 'order-pubsub', consumerIdOf: (app) => `shop.${app}` });
    expect(plan.queues.map((q) => q.queueName)).toEqual(['shoporder', 'shoppayment', 'shopstock']);
  });

  it('lets a subscriber publish to its dead-letter topic, and creates that topic', () => {
    const subscriptions = [declared('stock', 'order', 'order-dead'), declared('payment', 'order'), declared('order', 'create-order-reply')];
    const plan = planMessaging({ flow, subscriptions, appIds, pubsubName: 'order-pubsub' });
    expect(plan.topics).toContain('order-dead');
    expect(plan.publishes['stock']).toEqual(['create-order-reply', 'order-dead']);
  });

  it('fails naming the app and topic when a consumer in TOPIC_FLOW has no Subscription file', () => {
    const withoutPayment = all.filter((s) => s.appId !== 'payment');
    expect(() => planMessaging({ flow, subscriptions: withoutPayment, appIds, pubsubName: 'order-pubsub' })).toThrow(
      /app 'payment' consumes topic 'order' \(libs\/contracts TOPIC_FLOW\) but no Subscription file subscribes it/,
    );
  });

  it('fails naming the file when a Subscription file subscribes an app TOPIC_FLOW does not list', () => {
    const extra = [...all, declared('front', 'order')];
    expect(() => planMessaging({ flow, subscriptions: extra, appIds, pubsubName: 'order-pubsub' })).toThrow(
      /k8s\/components\/eks\/subscriptions\.yaml subscribes app 'front' to topic 'order'/,
    );
  });

  it('lists every problem at once', () => {
    const unknown: TopicFlow = { ...flow, audit: { publishers: ['ghost'], subscribers: ['order'] } };
    try {
      planMessaging({ flow: unknown, subscriptions: [], appIds, pubsubName: 'order-pubsub' });
      throw new Error('planMessaging accepted an empty set of Subscription files');
    } catch (err) {
      expect(err).toBeInstanceOf(MessagingPlanError);
      expect((err as MessagingPlanError).problems).toHaveLength(5);
      expect((err as MessagingPlanError).problems[0]).toMatch(/names app 'ghost' for topic 'audit'/);
    }
  });
});
