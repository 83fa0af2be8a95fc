import type { MockedResource } from './mocks';

type TopicFlow = Readonly<Record<string, { publishers: readonly string[]; subscribers: readonly string[] }>>;

/**
 * Reads the created resources back, independently of how the program planned them, and names every app and topic
 * of TOPIC_FLOW left without what daprd needs on AWS: the SNS topic, the consumer's SQS queue (named by its app id,
 * daprd's default consumer id) and the SNS subscription from that topic to that queue.
 */
export function uncoveredTopics(flow: TopicFlow, resources: readonly MockedResource[]): string[] {
  const of = (type: string) => resources.filter((r) => r.type === type);
  const topicArns = new Map(of('aws:sns/topic:Topic').map((r) => [r.state['tags']['dapr-topic-name'] as string, r.state['arn'] as string]));
  const queueArns = new Map(of('aws:sqs/queue:Queue').map((r) => [r.state['name'] as string, r.state['arn'] as string]));
  const subscriptions = new Set(
    of('aws:sns/topicSubscription:TopicSubscription')
      .filter((r) => r.inputs['protocol'] === 'sqs')
      .map((r) => `${r.inputs['topic']} -> ${r.inputs['endpoint']}`),
  );

  const problems: string[] = [];
  for (const [topic, { publishers, subscribers }] of Object.entries(flow)) {
    const topicArn = topicArns.get(topic);
    if (!topicArn) {
      problems.push(`topic '${topic}' (used by ${[...publishers, ...subscribers].join(', ')}) has no SNS topic`);
      continue;
    }
    for (const app of subscribers) {
      const queueArn = queueArns.get(app);
      if (!queueArn) problems.push(`app '${app}' consumes topic '${topic}' but has no SQS queue '${app}'`);
      else if (!subscriptions.has(`${topicArn} -> ${queueArn}`)) {
        problems.push(`app '${app}' consumes topic '${topic}' but no SNS subscription delivers '${topic}' to queue '${app}'`);
      }
    }
  }
  return problems;
}
