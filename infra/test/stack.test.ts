import * as pulumi from '@pulumi/pulumi';
import { APPS, TOPIC_FLOW } from '@repo/contracts';
import { parseAllDocuments } from 'yaml';
import program from '../src/index';
import { CONFIG_KEYS } from '../src/config';
import { uncoveredTopics } from './support/coverage';
import { ACCOUNT, ISSUER, REGION, installMocks, settled, valueOf, type MockedInvoke, type MockedResource } from './support/mocks';
import { renderOverlay } from './support/overlay';
import { readStackConfig } from './support/stack-config';

type Outputs = Awaited<ReturnType<typeof program>>;
type Statement = { Sid?: string; Action: string | string[]; Resource?: string | string[]; Condition?: Record<string, Record<string, unknown>> };

const AUTH_TOKEN = 'a-test-token-of-32-characters-ok';
/** What a sidecar does with entities that exist: look up, poll, ack, release, publish. Nothing creates or changes one. */
const SIDECAR_ACTIONS = new Set([
  'sqs:GetQueueUrl',
  'sqs:GetQueueAttributes',
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibility',
  'sns:GetTopicAttributes',
  'sns:ListSubscriptionsByTopic',
  'sns:Publish',
]);
const appIds = Object.values(APPS).map((a) => a.appId);
const flow = Object.entries(TOPIC_FLOW);
const consumedBy = (app: string) => flow.filter(([, f]) => f.subscribers.includes(app)).map(([t]) => t);
const publishedBy = (app: string) => flow.filter(([, f]) => f.publishers.includes(app)).map(([t]) => t);
const awsApps = appIds.filter((app) => consumedBy(app).length + publishedBy(app).length > 0);
let resources: MockedResource[];
let invokes: MockedInvoke[];
let outputs: Outputs;

const all = (type: string) => resources.filter((r) => r.type === type);
const one = (type: string, name: string) => {
  const found = all(type).filter((r) => r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
  return found[0]!;
};
const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const topicArn = (topic: string) => `arn:aws:sns:${REGION}:${ACCOUNT}:${topic}`;
const queueArn = (queue: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${queue}`;

beforeAll(async () => {
  // The stack file's documented keys, plus the one secret a user sets with `pulumi config set --secret`.
  ({ resources, invokes } = await installMocks({ ...readStackConfig('dev'), 'dapr-template:redisAuthToken': AUTH_TOKEN }, renderOverlay));
  outputs = await program();
  await settled();
});

describe('the dev stack file', () => {
  it('documents exactly the keys the program reads', () => {
    const documented = Object.keys(readStackConfig('dev')).filter((k) => k.startsWith('dapr-template:'));
    expect([...documented, 'dapr-template:redisAuthToken'].sort()).toEqual(CONFIG_KEYS.map((k) => `dapr-template:${k}`).sort());
    expect(readStackConfig('dev')['aws:region']).toBeTruthy();
  });
});

describe('network', () => {
  it('spreads public and private subnets over two zones, the private ones reaching out through a NAT gateway', () => {
    const subnets = all('aws:ec2/subnet:Subnet');
    const zones = (kind: string) => subnets.filter((s) => s.name.includes(`-${kind}-`)).map((s) => s.inputs['availabilityZone']);
    expect(zones('public')).toEqual([`${REGION}a`, `${REGION}c`]);
    expect(zones('private')).toEqual([`${REGION}a`, `${REGION}c`]);

    const publicRoutes = one('aws:ec2/routeTable:RouteTable', 'network-public');
    expect(publicRoutes.inputs['routes']).toEqual([{ cidrBlock: '0.0.0.0/0', gatewayId: 'InternetGateway/network' }]);
    const nat = one('aws:ec2/natGateway:NatGateway', 'network');
    expect(nat.inputs['subnetId']).toBe('Subnet/network-public-0');
    const privateRoutes = one('aws:ec2/routeTable:RouteTable', 'network-private');
    expect(privateRoutes.inputs['routes']).toEqual([{ cidrBlock: '0.0.0.0/0', natGatewayId: 'NatGateway/network' }]);
    const privateAssociations = all('aws:ec2/routeTableAssociation:RouteTableAssociation').filter((a) => a.inputs['routeTableId'] === 'RouteTable/network-private');
    expect(privateAssociations.map((a) => a.inputs['subnetId']).sort()).toEqual(['Subnet/network-private-0', 'Subnet/network-private-1']);
  });

  it("opens no security group to the internet except the front's load balancer, on its one port", () => {
    const open = all('aws:ec2/securityGroup:SecurityGroup').flatMap((sg) =>
      ((sg.inputs['ingress'] ?? []) as { cidrBlocks?: string[]; ipv6CidrBlocks?: string[]; fromPort: number; toPort: number }[])
        .filter((rule) => rule.cidrBlocks?.includes('0.0.0.0/0') || rule.ipv6CidrBlocks?.includes('::/0'))
        .map((rule) => `${sg.name}:${rule.fromPort}-${rule.toPort}`),
    );
    expect(open).toEqual(['network-front-lb:80-80']);
    expect(all('aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule')).toEqual([]);
  });
});

describe('EKS', () => {
  it('runs a managed node group in the private subnets, on nodes that keep pods away from the node role', () => {
    const nodeGroup = one('aws:eks/nodeGroup:NodeGroup', 'eks');
    expect(nodeGroup.inputs['clusterName']).toBe('dapr-template-dev');
    expect(nodeGroup.inputs['subnetIds']).toEqual(['Subnet/network-private-0', 'Subnet/network-private-1']);
    expect(nodeGroup.inputs['scalingConfig']).toEqual({ desiredSize: 2, minSize: 2, maxSize: 4 });
    const template = one('aws:ec2/launchTemplate:LaunchTemplate', 'eks-nodes');
    expect(template.inputs['vpcSecurityGroupIds']).toEqual(['SecurityGroup/network-nodes', 'sg-eks-cluster']);
    expect(template.inputs['metadataOptions']).toMatchObject({ httpTokens: 'required', httpPutResponseHopLimit: 1 });
  });

  it("registers the cluster's OIDC issuer as an IAM identity provider for STS", () => {
    const oidc = one('aws:iam/openIdConnectProvider:OpenIdConnectProvider', 'eks');
    expect(oidc.inputs['url']).toBe(ISSUER);
    expect(oidc.inputs['clientIdLists']).toEqual(['sts.amazonaws.com']);
  });
});

describe('IRSA', () => {
  const issuer = ISSUER.replace('https://', '');

  it("lets only each app's own service account assume its role, with an STS audience", async () => {
    const namespace = await valueOf(outputs.namespace);
    expect(all('aws:iam/role:Role').filter((r) => r.name.startsWith('irsa-')).map((r) => r.name).sort()).toEqual(awsApps.map((a) => `irsa-${a}`).sort());
    for (const appId of awsApps) {
      const trust = JSON.parse(one('aws:iam/role:Role', `irsa-${appId}`).inputs['assumeRolePolicy']);
      expect(trust.Statement).toHaveLength(1);
      expect(trust.Statement[0]).toEqual({
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${appId}`, [`${issuer}:aud`]: 'sts.amazonaws.com' } },
      });
    }
  });

  it('allows each app exactly its own queue, the topics feeding it and the topics it publishes', () => {
    for (const appId of awsApps) {
      const consumes = consumedBy(appId);
      const publishes = publishedBy(appId);
      const policies = all('aws:iam/rolePolicy:RolePolicy').filter((p) => p.name === `irsa-${appId}`);
      expect(policies).toHaveLength(1);
      expect(policies[0]!.inputs['role']).toBe(`Role/irsa-${appId}`);
      const statements = JSON.parse(policies[0]!.inputs['policy']).Statement as Statement[];
      const resources = new Set(statements.flatMap((s) => list(s.Resource)));
      const expected = new Set([...(consumes.length ? [queueArn(appId)] : []), ...consumes.map(topicArn), ...publishes.map(topicArn)]);
      expect([...resources].sort()).toEqual([...expected].sort());
      const actions = new Set(statements.flatMap((s) => list(s.Action)));
      expect([...actions].filter((a) => !SIDECAR_ACTIONS.has(a))).toEqual([]);
      const publish = statements.filter((s) => list(s.Action).includes('sns:Publish')).flatMap((s) => list(s.Resource));
      expect(publish.sort()).toEqual(publishes.map(topicArn).sort());
    }
  });
});

describe('SNS/SQS', () => {
  it('has every topic an app publishes or consumes, its consumer queue and the subscription between them', () => {
    expect(uncoveredTopics(TOPIC_FLOW, resources)).toEqual([]);
  });

  it('names the app and the topic when a subscription is missing', () => {
    const subscription = one('aws:sns/topicSubscription:TopicSubscription', 'sub-order-payment');
    const withoutIt = resources.filter((r) => r !== subscription);
    expect(uncoveredTopics(TOPIC_FLOW, withoutIt)).toEqual([
      "app 'payment' consumes topic 'order' but no SNS subscription delivers 'order' to queue 'payment'",
    ]);
  });

  it('subscribes queues to topics by ARN, with the SNS envelope daprd reads', () => {
    const subscription = one('aws:sns/topicSubscription:TopicSubscription', 'sub-create-order-reply-order');
    expect(subscription.inputs).toMatchObject({ topic: topicArn('create-order-reply'), protocol: 'sqs', endpoint: queueArn('order'), rawMessageDelivery: false });
  });

  it("redrives each consumer queue to its own dead-letter queue", () => {
    const consumers = [...new Set(Object.values(TOPIC_FLOW).flatMap((f) => f.subscribers))].sort();
    const queues = all('aws:sqs/queue:Queue').filter((q) => q.name.startsWith('queue-'));
    expect(queues.map((q) => q.state['name']).sort()).toEqual(consumers);
    for (const queue of queues) {
      const redrive = JSON.parse(queue.inputs['redrivePolicy']);
      const dlq = one('aws:sqs/queue:Queue', `dlq-${queue.state['name']}`);
      expect(redrive.deadLetterTargetArn).toBe(dlq.state['arn']);
      expect(redrive.maxReceiveCount).toBeLessThan(10);
    }
  });

  it('lets only SNS, from the topics subscribed to a queue, send to it', () => {
    const policy = one('aws:sqs/queuePolicy:QueuePolicy', 'queue-stock');
    expect(policy.inputs['queueUrl']).toBe(`https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/stock`);
    const [statement, ...rest] = JSON.parse(policy.inputs['policy']).Statement;
    expect(rest).toEqual([]);
    expect(statement).toMatchObject({ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: queueArn('stock') });
    expect(statement.Condition.ArnEquals['aws:SourceArn']).toEqual(consumedBy('stock').map(topicArn).sort());
  });
});

describe('ElastiCache Redis', () => {
  it('runs in the private subnets with TLS, encryption at rest and the AUTH token from the stack secret', () => {
    const group = one('aws:elasticache/replicationGroup:ReplicationGroup', 'redis');
    expect(group.inputs).toMatchObject({ transitEncryptionEnabled: true, atRestEncryptionEnabled: true, authToken: AUTH_TOKEN, nodeType: 'cache.t4g.micro' });
    expect(group.secretInputs).toContain('authToken');
    expect(group.inputs['subnetGroupName']).toBe(one('aws:elasticache/subnetGroup:SubnetGroup', 'redis').state['name']);
    expect(one('aws:elasticache/subnetGroup:SubnetGroup', 'redis').inputs['subnetIds']).toEqual(['Subnet/network-private-0', 'Subnet/network-private-1']);
  });

  it('admits the worker nodes only, on 6379', () => {
    const group = one('aws:elasticache/replicationGroup:ReplicationGroup', 'redis');
    expect(group.inputs['securityGroupIds']).toEqual(['SecurityGroup/redis-redis']);
    expect(one('aws:ec2/securityGroup:SecurityGroup', 'redis-redis').inputs['ingress']).toEqual([
      { description: 'worker nodes', protocol: 'tcp', fromPort: 6379, toPort: 6379, securityGroups: ['SecurityGroup/network-nodes'] },
    ]);
  });
});

describe('ECR', () => {
  it('has a repository per image, named as k8s/overlays/eks names the image', () => {
    const names = all('aws:ecr/repository:Repository').map((r) => r.inputs['name']);
    expect(names.sort()).toEqual([...appIds, 'sidecar'].map((image) => `dapr-template/${image}`).sort());
  });

  it('exports the repository skaffold pushes to with --default-repo', async () => {
    expect(await valueOf(outputs.imageRepository)).toBe(`${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/dapr-template`);
  });
});

describe('k8s/overlays/eks on the cluster', () => {
  const kube = (kind: string) => resources.filter((r) => r.type.startsWith('kubernetes:') && r.type.endsWith(`:${kind}`));
  const daprFiles = () => {
    const configMaps = kube('ConfigMap').filter((c) => String(c.inputs['metadata'].name).startsWith('dapr-resources'));
    expect(configMaps).toHaveLength(1);
    return Object.values(configMaps[0]!.inputs['data'] as Record<string, string>).flatMap((text) => parseAllDocuments(text).map((d) => d.toJSON()));
  };
  const metadataOf = (component: { spec: { metadata: { name: string; value?: string }[] } }) =>
    Object.fromEntries(component.spec.metadata.map((m) => [m.name, m.value]));

  it('applies every object through the provider built from the EKS kubeconfig', () => {
    const provider = one('pulumi:providers:kubernetes', 'eks');
    expect(JSON.parse(provider.inputs['kubeconfig']).clusters[0].cluster.server).toBe(`https://EXAMPLE.gr7.${REGION}.eks.amazonaws.com`);
    expect(kube('Deployment').length).toBe(appIds.length);
    const objects = resources.filter((r) => r.type.startsWith('kubernetes:') && r.type !== 'kubernetes:yaml:ConfigGroup');
    expect(objects.filter((r) => !r.provider?.includes('::eks::'))).toEqual([]);
  });

  it('renders the overlay without the cluster, so the first preview works before EKS exists', () => {
    const renders = invokes.filter((i) => i.token === 'kubernetes:kustomize:directory');
    expect(renders).toHaveLength(1);
    expect(renders[0]!.provider ?? '').not.toContain('::eks::');
  });

  it("annotates exactly the AWS-using apps' service accounts with their own IRSA role", () => {
    const annotated = kube('ServiceAccount')
      .filter((sa) => sa.inputs['metadata'].annotations?.['eks.amazonaws.com/role-arn'])
      .map((sa) => [sa.inputs['metadata'].name, sa.inputs['metadata'].annotations['eks.amazonaws.com/role-arn']]);
    expect(Object.fromEntries(annotated)).toEqual(Object.fromEntries(awsApps.map((app) => [app, `arn:aws:iam::${ACCOUNT}:role/irsa-${app}`])));
  });

  it('points every Redis Component at the ElastiCache primary with TLS, and the pub/sub at the region and account', () => {
    const components = daprFiles().filter((d) => d.kind === 'Component');
    const redis = components.filter((c) => c.spec.type === 'state.redis');
    expect(redis.length).toBeGreaterThan(0);
    for (const c of redis) {
      expect(metadataOf(c)).toMatchObject({ redisHost: 'master.redis.abc123.apne1.cache.amazonaws.com:6379', enableTLS: 'true' });
    }
    const pubsub = components.find((c) => c.metadata.name === 'order-pubsub');
    expect(metadataOf(pubsub)).toMatchObject({ region: REGION, accountID: ACCOUNT, disableEntityManagement: 'true' });
    expect(JSON.stringify(daprFiles())).not.toMatch(/REDIS_PRIMARY_ENDPOINT|000000000000/);
  });

  it('puts the AUTH token into the Secret the Redis Components read their password from', () => {
    const secret = one('kubernetes:core/v1:Secret', 'dapr-template/redis-auth');
    expect(secret.inputs['stringData']).toEqual({ password: AUTH_TOKEN });
    expect(secret.secretInputs).toContain('stringData');
  });

  it('runs every container from its ECR repository at the configured tag', () => {
    const images = kube('Deployment').flatMap((d) => d.inputs['spec'].template.spec.containers.map((c: { image: string }) => c.image));
    const repositories = new Set(all('aws:ecr/repository:Repository').map((r) => `${r.state['repositoryUrl']}:latest`));
    expect(images.filter((image) => !repositories.has(image))).toEqual([]);
  });

  it("gives the front's load balancer the one security group open to the internet, on the front's port", async () => {
    const front = one('kubernetes:core/v1:Service', 'dapr-template/front');
    expect(front.inputs['spec'].type).toBe('LoadBalancer');
    expect(front.inputs['metadata'].annotations['service.beta.kubernetes.io/aws-load-balancer-security-groups']).toBe('SecurityGroup/network-front-lb');
    const open = one('aws:ec2/securityGroup:SecurityGroup', 'network-front-lb').inputs['ingress'][0];
    expect(front.inputs['spec'].ports.map((p: { port: number }) => p.port)).toEqual([open.fromPort]);
    expect(await valueOf(outputs.frontAddress)).toBe(`a0123456789-front.${REGION}.elb.amazonaws.com`);
  });
});

describe('outputs', () => {
  it('exports the kubeconfig as a secret, and the Redis endpoint', async () => {
    expect(await pulumi.isSecret(outputs.kubeconfig)).toBe(true);
    const kubeconfig = JSON.parse(await valueOf(outputs.kubeconfig));
    expect(kubeconfig.users[0].user.exec.args).toEqual(['eks', 'get-token', '--cluster-name', 'dapr-template-dev', '--region', REGION, '--output', 'json']);
    expect(await valueOf(outputs.redisEndpoint)).toBe('master.redis.abc123.apne1.cache.amazonaws.com:6379');
  });
});
