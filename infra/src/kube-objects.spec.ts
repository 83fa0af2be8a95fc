import { fillDaprYaml, fillEndpoints, type EksEndpoints, type KubeObject } from './kube-objects';

type Spec = { template: { spec: { containers: { image: string }[] } }; metadata: unknown };
const specOf = (o: KubeObject) => o['spec'] as Spec;

const endpoints: EksEndpoints = {
  region: 'eu-west-1',
  accountId: '123456789012',
  redisHost: 'master.redis.example:6379',
  redisPassword: 'token',
  redisPasswordRefs: [{ name: 'redis-auth', key: 'password' }],
  roleArnOf: (sa) => (sa === 'order' ? 'arn:aws:iam::123456789012:role/order' : undefined),
  imageOf: (repo) => (repo === 'dapr-template/order' ? '123456789012.dkr.ecr.eu-west-1.amazonaws.com/dapr-template/order:v1' : undefined),
  frontLoadBalancerSecurityGroupId: 'sg-front',
};

describe('fillEndpoints', () => {
  it('refuses a service account that asks for an IRSA role its app does not have', () => {
    const sa: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'cart', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::000000000000:role/x' } } };
    expect(() => fillEndpoints(sa, endpoints)).toThrow('ServiceAccount cart asks for an IRSA role, but its app uses no AWS service');
  });

  it('refuses a Deployment whose image has no ECR repository', () => {
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'cart' },
      spec: { template: { spec: { containers: [{ name: 'app', image: '000000000000.dkr.ecr.ap-northeast-1.amazonaws.com/dapr-template/cart' }] } } },
    };
    expect(() => fillEndpoints(deployment, endpoints)).toThrow('Deployment cart runs image 000000000000.dkr.ecr.ap-northeast-1.amazonaws.com/dapr-template/cart, which has no ECR repository here');
  });

  it('replaces an image by repository, whatever registry, tag or digest the overlay wrote', () => {
    for (const image of ['000000000000.dkr.ecr.ap-northeast-1.amazonaws.com/dapr-template/order:dev', 'localhost:5000/dapr-template/order@sha256:abc']) {
      const deployment: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'order' }, spec: { template: { spec: { containers: [{ image }] } } } };
      fillEndpoints(deployment, endpoints);
      expect(specOf(deployment).template.spec.containers[0]!.image).toBe('123456789012.dkr.ecr.eu-west-1.amazonaws.com/dapr-template/order:v1');
    }
  });

  it('fills Dapr Components applied as objects, as the dapr overlay applies them', () => {
    const component: KubeObject = { apiVersion: 'dapr.io/v1alpha1', kind: 'Component', metadata: { name: 'order-pubsub' }, spec: { type: 'pubsub.aws.snssqs', version: 'v1' } };
    fillEndpoints(component, endpoints);
    expect(specOf(component).metadata).toEqual([
      { name: 'region', value: 'eu-west-1' },
      { name: 'accountID', value: '123456789012' },
      { name: 'disableEntityManagement', value: 'true' },
    ]);
  });
});

describe('fillDaprYaml', () => {
  it('fills the Components of a multi-document file and passes the other documents through', () => {
    const text = [
      'apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: cart}\nspec:\n  type: state.redis\n  version: v1\n  metadata:\n    - {name: redisHost, value: "REDIS_PRIMARY_ENDPOINT:6379"}\n',
      'apiVersion: dapr.io/v1alpha1\nkind: Subscription\nmetadata: {name: s}\nspec: {pubsubname: p, topic: t, route: /t}\n',
    ].join('---\n');
    const filled = fillDaprYaml(text, { region: 'eu-west-1', redisHost: 'master.redis.example:6379', accountId: '1' });
    expect(filled).toContain('value: master.redis.example:6379');
    expect(filled).toContain('name: enableTLS');
    expect(filled).toContain('kind: Subscription');
    expect(filled).not.toContain('REDIS_PRIMARY_ENDPOINT');
  });
});
