/* eslint-disable @typescript-eslint/no-explicit-any -- recorded inputs are arbitrary provider payloads that tests index freely */
import * as pulumi from '@pulumi/pulumi';

/** A resource the program registered, with the inputs it gave and the state the mock engine answered. */
export interface MockedResource {
  type: string;
  name: string;
  /** The inputs with secrets revealed; `secretInputs` says which top-level inputs were secret. */
  inputs: Record<string, any>;
  secretInputs: string[];
  state: Record<string, any>;
  /** The provider reference (`urn::id`) the resource was registered with, if not the default one. */
  provider?: string;
}

/** A data source or provider function the program called, and the provider it asked. */
export interface MockedInvoke {
  token: string;
  provider?: string;
}

/** The mock engine hands secrets over wrapped in an object tagged with this signature key. */
const SECRET_SIG = '4dabf18193072939515e22adb298388d';

export const ACCOUNT = '123456789012';
export const REGION = 'ap-northeast-1';
export const ISSUER = `https://oidc.eks.${REGION}.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`;

/**
 * Runs the program against Pulumi's mock engine (no CLI, no cloud) and records every resource. The state answered
 * for each type carries the outputs AWS would compute (ARNs, URLs, endpoints), built from the resource's name.
 */
export async function installMocks(
  config: Record<string, string>,
  kustomize: (directory: string) => Record<string, unknown>[],
): Promise<{ resources: MockedResource[]; invokes: MockedInvoke[] }> {
  const resources: MockedResource[] = [];
  const invokes: MockedInvoke[] = [];
  pulumi.runtime.setAllConfig(config);
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const inputs = reveal(args.inputs) as Record<string, any>;
        const secretInputs = Object.keys(args.inputs).filter((key) => isSecret(args.inputs[key]));
        const name = (inputs['name'] as string | undefined) ?? args.name;
        const state = { ...inputs, name, ...computed(args.type, name, inputs) };
        resources.push({ type: args.type, name: args.name, inputs, secretInputs, state, provider: args.provider || undefined });
        return { id: idOf(args.type, args.name), state };
      },
      call(args) {
        invokes.push({ token: args.token, provider: args.provider || undefined });
        if (args.token === 'aws:index/getAvailabilityZones:getAvailabilityZones') {
          return { names: [`${REGION}a`, `${REGION}c`, `${REGION}d`], zoneIds: ['apne1-az4', 'apne1-az1', 'apne1-az2'] };
        }
        if (args.token === 'aws:index/getCallerIdentity:getCallerIdentity') {
          return { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/deployer`, userId: 'AIDAEXAMPLE' };
        }
        // The Kubernetes provider runs kustomize itself; here the repository's renderer stands in for it.
        if (args.token === 'kubernetes:kustomize:directory') return { result: kustomize(args.inputs.directory) };
        throw new Error(`the program called ${args.token}, which these mocks do not answer`);
      },
    },
    'dapr-template',
    'dev',
    false,
  );
  return { resources, invokes };
}

/** Ids name the resource's kind, so a test tells a NAT gateway's id from a VPC's of the same name. */
export function idOf(type: string, name: string): string {
  return `${type.split(':').pop()}/${name}`;
}

const isSecret = (value: unknown): value is { value: unknown } => typeof value === 'object' && value !== null && SECRET_SIG in value;

function reveal(value: unknown): unknown {
  if (isSecret(value)) return reveal(value.value);
  if (Array.isArray(value)) return value.map(reveal);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
  return value;
}

function computed(type: string, name: string, inputs: Record<string, any>): Record<string, unknown> {
  switch (type) {
    case 'aws:sns/topic:Topic':
      return { arn: `arn:aws:sns:${REGION}:${ACCOUNT}:${name}` };
    case 'aws:sqs/queue:Queue':
      return { arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`, url: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}` };
    case 'aws:iam/role:Role':
      return { arn: `arn:aws:iam::${ACCOUNT}:role/${name}` };
    case 'aws:iam/openIdConnectProvider:OpenIdConnectProvider':
      return { arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/${String(inputs.url).replace('https://', '')}` };
    case 'aws:eks/cluster:Cluster':
      return {
        arn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${name}`,
        endpoint: `https://EXAMPLE.gr7.${REGION}.eks.amazonaws.com`,
        certificateAuthority: { data: 'LS0tLS1CRUdJTi1DRVJUSUZJQ0FURS0tLS0t' },
        identities: [{ oidcs: [{ issuer: ISSUER }] }],
        vpcConfig: { ...inputs.vpcConfig, clusterSecurityGroupId: 'sg-eks-cluster' },
      };
    case 'aws:ec2/securityGroup:SecurityGroup':
      return { arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/sg-${name}` };
    case 'aws:ec2/launchTemplate:LaunchTemplate':
      return { latestVersion: 1 };
    case 'aws:elasticache/replicationGroup:ReplicationGroup':
      return { primaryEndpointAddress: `master.${name}.abc123.apne1.cache.amazonaws.com` };
    case 'aws:ecr/repository:Repository':
      return { repositoryUrl: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${name}` };
    case 'kubernetes:core/v1:Service':
      return inputs.spec?.type === 'LoadBalancer'
        ? { status: { loadBalancer: { ingress: [{ hostname: `a0123456789-${inputs.metadata.name}.${REGION}.elb.amazonaws.com` }] } } }
        : {};
    default:
      return {};
  }
}

/** The value of an output once the mock engine has resolved it. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** Waits until every resource the program started has been registered, then closes the mock engine. */
export function settled(): Promise<void> {
  return pulumi.runtime.disconnect();
}
