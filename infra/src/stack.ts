import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { Settings } from './config';
import { EksCluster } from './eks';
import { Messaging } from './messaging';
import type { MessagingPlan } from './messaging-plan';
import { Network } from './network';
import { Redis } from './redis';
import { Registry } from './registry';
import { ServiceAccountRoles } from './service-account-roles';
import { Workloads } from './workloads';

export interface StackInputs {
  plan: MessagingPlan;
  /** The namespace the apps run in, and app id → its service account there, for the apps that use AWS. */
  namespace: string;
  serviceAccounts: Record<string, string>;
  /** Image name → ECR repository name, as k8s/overlays/eks names them. */
  repositories: Record<string, string>;
  /** The kustomization applied to the cluster: k8s/overlays/eks. */
  overlayDirectory: string;
  /** The Secret keys the Redis Components read the AUTH token from. */
  redisPasswordRefs: { name: string; key: string }[];
}

/** The whole environment, composed from the components; index.ts feeds it config and the repository's files. */
export function createStack(settings: Settings, inputs: StackInputs) {
  const clusterName = `${pulumi.getProject()}-${pulumi.getStack()}`;
  const network = new Network('network', { clusterName });
  const eks = new EksCluster('eks', {
    clusterName,
    region: settings.region,
    version: settings.kubernetesVersion,
    privateSubnetIds: network.privateSubnets.map((s) => s.id),
    publicSubnetIds: network.publicSubnets.map((s) => s.id),
    nodeSecurityGroupId: network.nodeSecurityGroup.id,
    nodeInstanceType: settings.nodeInstanceType,
    desiredSize: settings.clusterSize,
    minSize: settings.nodeMinSize,
    maxSize: settings.nodeMaxSize,
  });
  const messaging = new Messaging('messaging', { plan: inputs.plan });
  const roles = new ServiceAccountRoles('irsa', {
    serviceAccounts: inputs.serviceAccounts,
    namespace: inputs.namespace,
    oidcProviderArn: eks.oidcProvider.arn,
    oidcIssuer: eks.oidcIssuer,
    plan: inputs.plan,
    messaging,
  });
  const redis = new Redis('redis', {
    vpcId: network.vpc.id,
    privateSubnetIds: network.privateSubnets.map((s) => s.id),
    clientSecurityGroupId: network.nodeSecurityGroup.id,
    nodeType: settings.redisNodeType,
    nodeCount: settings.redisNodeCount,
    authToken: settings.redisAuthToken,
  });
  const registry = new Registry('ecr', { repositories: inputs.repositories });

  const provider = new k8s.Provider('eks', { kubeconfig: eks.kubeconfig, enableServerSideApply: true }, { dependsOn: [eks.nodeGroup] });
  const workloads = new Workloads('eks-overlay', {
    directory: inputs.overlayDirectory,
    namespace: inputs.namespace,
    endpoints: {
      region: settings.region,
      accountId: aws.getCallerIdentityOutput().accountId,
      redisHost: redis.endpoint,
      redisPassword: settings.redisAuthToken,
      redisPasswordRefs: inputs.redisPasswordRefs,
      roleArnOf: (serviceAccount) => {
        const appId = Object.keys(inputs.serviceAccounts).find((app) => inputs.serviceAccounts[app] === serviceAccount);
        return appId ? roles.roles[appId]?.arn : undefined;
      },
      imageOf: (name) => {
        const repository = Object.values(registry.repositories).find((r) => r.name === name);
        return repository && pulumi.interpolate`${repository.url}:${settings.imageTag}`;
      },
      frontLoadBalancerSecurityGroupId: network.frontLoadBalancerSecurityGroup.id,
    },
  }, { providers: [provider] });

  return {
    network,
    eks,
    messaging,
    roles,
    redis,
    registry,
    workloads,
    outputs: {
      clusterName: eks.cluster.name,
      kubeconfig: eks.kubeconfig,
      region: pulumi.output(settings.region),
      redisEndpoint: redis.endpoint,
      registry: registry.registry,
      imageRepository: registry.defaultRepo,
      frontAddress: workloads.frontAddress,
      namespace: pulumi.output(inputs.namespace),
      /** App id → the IAM role its service account assumes (what k8s/overlays/eks writes as arn:aws:iam::000000000000:…). */
      serviceAccountRoles: pulumi.output(Object.fromEntries(Object.entries(roles.roles).map(([app, role]) => [app, role.arn]))),
    },
  };
}
