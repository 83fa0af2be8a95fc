interface Statement {
  Effect: string;
  Principal: { Service: string } | string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: { 'ForAllValues:ArnEquals'?: { 'aws:SourceArn'?: string | string[] } } & Record<string, unknown>;
  [other: string]: unknown;
}

interface Policy {
  Version: string;
  Statement: Statement[];
}

/**
 * The queue policy daprd writes: one statement per queue that lets SNS send to it only from the listed topics.
 * Returns the policy JSON with `topicArn` added, or undefined when it is already allowed.
 */
export function allowTopicInQueuePolicy(current: string | undefined, queueArn: string, topicArn: string): string | undefined {
  const policy: Policy = current ? (JSON.parse(current) as Policy) : { Version: '2012-10-17', Statement: [] };
  policy.Statement ??= [];
  const statement = policy.Statement.find((s) => s.Resource === queueArn && s.Action === 'sqs:SendMessage');
  if (!statement) {
    policy.Statement.push({
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: queueArn,
      Condition: { 'ForAllValues:ArnEquals': { 'aws:SourceArn': [topicArn] } },
    });
    return JSON.stringify(policy);
  }
  const condition = ((statement.Condition ??= {})['ForAllValues:ArnEquals'] ??= {});
  // AWS flattens a one-element list to a string.
  const sources = [condition['aws:SourceArn'] ?? []].flat();
  if (sources.includes(topicArn)) return undefined;
  condition['aws:SourceArn'] = [...sources, topicArn];
  return JSON.stringify(policy);
}
