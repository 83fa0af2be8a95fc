/** IAM policy documents as plain values, so tests read exactly what AWS gets. */

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: Record<string, string | string[]>;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export function assumeRoleForService(service: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  };
}

/**
 * IRSA trust: only the pods running as this one service account, with a token minted for STS, may take the role.
 * `issuerUrl` is the cluster's OIDC issuer; IAM's condition keys use it without the scheme.
 */
export function serviceAccountTrust(args: {
  oidcProviderArn: string;
  issuerUrl: string;
  namespace: string;
  serviceAccount: string;
}): PolicyDocument {
  const issuer = args.issuerUrl.replace(/^https:\/\//, '');
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: args.oidcProviderArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${issuer}:sub`]: `system:serviceaccount:${args.namespace}:${args.serviceAccount}`,
            [`${issuer}:aud`]: 'sts.amazonaws.com',
          },
        },
      },
    ],
  };
}

/**
 * What one app's sidecar needs on SNS/SQS when the entities exist already (daprd's `disableEntityManagement`):
 * look up and poll its own queue, look up the topics it subscribes to and their subscriptions, publish to its
 * topics. Nothing can create, delete or reconfigure a topic or queue. Undefined when the app uses no pub/sub.
 */
export function appMessagingPolicy(args: {
  queueArn?: string;
  subscribedTopicArns: string[];
  publishTopicArns: string[];
}): PolicyDocument | undefined {
  const statements: PolicyStatement[] = [];
  if (args.queueArn) {
    statements.push({
      Sid: 'ConsumeOwnQueue',
      Effect: 'Allow',
      Action: ['sqs:GetQueueUrl', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'],
      Resource: [args.queueArn],
    });
  }
  if (args.subscribedTopicArns.length > 0) {
    statements.push({
      Sid: 'FindSubscribedTopics',
      Effect: 'Allow',
      Action: ['sns:GetTopicAttributes', 'sns:ListSubscriptionsByTopic'],
      Resource: [...args.subscribedTopicArns].sort(),
    });
  }
  if (args.publishTopicArns.length > 0) {
    statements.push({
      Sid: 'PublishOwnTopics',
      Effect: 'Allow',
      Action: ['sns:GetTopicAttributes', 'sns:Publish'],
      Resource: [...args.publishTopicArns].sort(),
    });
  }
  return statements.length > 0 ? { Version: '2012-10-17', Statement: statements } : undefined;
}

/** Only SNS, and only for the topics subscribed to this queue, may send to it. */
export function queueAcceptsTopics(queueArn: string, topicArns: string[]): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AcceptSubscribedTopics',
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': [...topicArns].sort() } },
      },
    ],
  };
}
