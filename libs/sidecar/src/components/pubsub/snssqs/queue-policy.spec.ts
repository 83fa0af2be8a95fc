import { allowTopicInQueuePolicy } from './queue-policy';

const QUEUE = 'arn:aws:sqs:us-east-1:123456789012:stock';
const T1 = 'arn:aws:sns:us-east-1:123456789012:orders';
const T2 = 'arn:aws:sns:us-east-1:123456789012:payments';

describe('the SQS queue policy that lets SNS topics send', () => {
  it('starts a policy with one statement for the queue', () => {
    expect(JSON.parse(allowTopicInQueuePolicy(undefined, QUEUE, T1)!)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: QUEUE,
          Condition: { 'ForAllValues:ArnEquals': { 'aws:SourceArn': [T1] } },
        },
      ],
    });
  });

  it('adds another topic to the same statement, also when AWS flattened the list to a string', () => {
    const flattened = JSON.parse(allowTopicInQueuePolicy(undefined, QUEUE, T1)!) as { Statement: { Condition: Record<string, Record<string, unknown>> }[] };
    flattened.Statement[0]!.Condition['ForAllValues:ArnEquals']!['aws:SourceArn'] = T1;
    const updated = JSON.parse(allowTopicInQueuePolicy(JSON.stringify(flattened), QUEUE, T2)!) as typeof flattened;
    expect(updated.Statement).toHaveLength(1);
    expect(updated.Statement[0]!.Condition['ForAllValues:ArnEquals']!['aws:SourceArn']).toEqual([T1, T2]);
  });

  it('changes nothing when the topic is already allowed', () => {
    expect(allowTopicInQueuePolicy(allowTopicInQueuePolicy(undefined, QUEUE, T1), QUEUE, T1)).toBeUndefined();
  });
});
