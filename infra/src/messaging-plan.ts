import { awsSanitizedName } from './aws-names';

/** `TOPIC_FLOW` of libs/contracts: who publishes and who consumes each topic, by app id. */
export type TopicFlow = Readonly<Record<string, { publishers: readonly string[]; subscribers: readonly string[] }>>;

/** One app's declarative subscription, as its sidecar loads it from a Subscription file (scopes applied). */
export interface DeclaredSubscription {
  appId: string;
  topic: string;
  deadLetterTopic?: string;
  /** The file it came from, for messages. */
  file: string;
}

export interface PlanInputs {
  flow: TopicFlow;
  subscriptions: readonly DeclaredSubscription[];
  appIds: readonly string[];
  pubsubName: string;
  /** The consumer id an app's sidecar uses, which daprd uses as its queue name; the app id unless the Component says otherwise. */
  consumerIdOf?: (appId: string) => string;
}

export interface QueuePlan {
  appId: string;
  queueName: string;
  deadLetterQueueName: string;
  /** Topics whose messages the queue receives. */
  topics: string[];
}

export interface MessagingPlan {
  topics: string[];
  queues: QueuePlan[];
  /** App id → topics its sidecar publishes to (its contract topics and its subscriptions' dead-letter topics). */
  publishes: Record<string, string[]>;
}

export class MessagingPlanError extends Error {
  constructor(readonly problems: string[]) {
    super(`SNS/SQS plan does not match libs/contracts and the Subscription files:\n  - ${problems.join('\n  - ')}`);
    this.name = 'MessagingPlanError';
  }
}

/**
 * Topics, queues and publish rights for SNS/SQS. Queue subscriptions come from the Subscription files, because
 * they are what each sidecar subscribes to; libs/contracts' TOPIC_FLOW must say the same, so a consumer missing
 * from either side stops the deployment here instead of leaving a queue that never receives its messages.
 */
export function planMessaging(inputs: PlanInputs): MessagingPlan {
  const problems = [...unknownApps(inputs), ...mismatches(inputs)];
  if (problems.length > 0) throw new MessagingPlanError(problems);

  const consumerIdOf = inputs.consumerIdOf ?? ((appId: string) => appId);
  const topics = new Set(Object.keys(inputs.flow));
  const queues = new Map<string, QueuePlan>();
  const publishes = new Map<string, Set<string>>();
  const publish = (appId: string, topic: string) => publishes.set(appId, (publishes.get(appId) ?? new Set()).add(topic));

  for (const [topic, { publishers }] of Object.entries(inputs.flow)) publishers.forEach((app) => publish(app, topic));
  for (const sub of inputs.subscriptions) {
    topics.add(sub.topic);
    const queueName = awsSanitizedName(consumerIdOf(sub.appId));
    const queue = queues.get(sub.appId) ?? {
      appId: sub.appId,
      queueName,
      deadLetterQueueName: awsSanitizedName(`${queueName.slice(0, 76)}-dlq`),
      topics: [],
    };
    if (!queue.topics.includes(sub.topic)) queue.topics.push(sub.topic);
    queues.set(sub.appId, queue);
    // The sidecar itself publishes a message its app drops to the subscription's dead-letter topic.
    if (sub.deadLetterTopic) {
      topics.add(sub.deadLetterTopic);
      publish(sub.appId, sub.deadLetterTopic);
    }
  }
  return {
    topics: [...topics].sort(),
    queues: [...queues.values()].sort((a, b) => a.appId.localeCompare(b.appId)),
    publishes: Object.fromEntries([...publishes].map(([app, set]) => [app, [...set].sort()])),
  };
}

function unknownApps({ flow, appIds }: PlanInputs): string[] {
  const known = new Set(appIds);
  return Object.entries(flow).flatMap(([topic, { publishers, subscribers }]) =>
    [...publishers, ...subscribers]
      .filter((app) => !known.has(app))
      .map((app) => `libs/contracts TOPIC_FLOW names app '${app}' for topic '${topic}', but APPS has no such app id`),
  );
}

function mismatches({ flow, subscriptions, pubsubName }: PlanInputs): string[] {
  const declared = new Set(subscriptions.map((s) => `${s.appId}\u0000${s.topic}`));
  const missing = Object.entries(flow).flatMap(([topic, { subscribers }]) =>
    subscribers
      .filter((app) => !declared.has(`${app}\u0000${topic}`))
      .map(
        (app) =>
          `app '${app}' consumes topic '${topic}' (libs/contracts TOPIC_FLOW) but no Subscription file subscribes it: ` +
          `its queue would get no SNS subscription; scope a Subscription for '${topic}' on '${pubsubName}' to '${app}'`,
      ),
  );
  const unexpected = subscriptions
    .filter((s) => !(flow[s.topic]?.subscribers ?? []).includes(s.appId))
    .map(
      (s) =>
        `${s.file} subscribes app '${s.appId}' to topic '${s.topic}', but libs/contracts TOPIC_FLOW does not list ` +
        `'${s.appId}' as a consumer of '${s.topic}'`,
    );
  return [...missing, ...unexpected];
}
