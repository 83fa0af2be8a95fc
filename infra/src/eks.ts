import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { assumeRoleForService } from './iam-policies';
import { kubeconfigFor } from './kubeconfig';

export interface EksClusterArgs {
  clusterName: string;
  region: string;
  version?: string;
  privateSubnetIds: pulumi.Input<string>[];
  publicSubnetIds: pulumi.Input<string>[];
  nodeSecurityGroupId: pulumi.Input<string>;
  nodeInstanceType: string;
  desiredSize: number;
  minSize: number;
  maxSize: number;
}

const MANAGED = 'arn:aws:iam::aws:policy';

/**
 * An EKS cluster from AWS primitives: its role, the control plane, a managed node group in the private subnets,
 * and the IAM OIDC provider that lets Kubernetes service accounts take IAM roles (IRSA).
 */
export class EksCluster extends pulumi.ComponentResource {
  readonly cluster: aws.eks.Cluster;
  readonly nodeGroup: aws.eks.NodeGroup;
  readonly oidcProvider: aws.iam.OpenIdConnectProvider;
  /** The cluster's OIDC issuer URL (https://…), the `iss` of service account tokens. */
  readonly oidcIssuer: pulumi.Output<string>;
  readonly kubeconfig: pulumi.Output<string>;

  constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('template:aws:EksCluster', name, {}, opts);
    const parent = { parent: this };

    const clusterRole = new aws.iam.Role(`${name}-cluster`, { assumeRolePolicy: JSON.stringify(assumeRoleForService('eks.amazonaws.com')) }, parent);
    const clusterPolicy = new aws.iam.RolePolicyAttachment(`${name}-cluster`, { role: clusterRole.name, policyArn: `${MANAGED}/AmazonEKSClusterPolicy` }, parent);

    this.cluster = new aws.eks.Cluster(name, {
      name: args.clusterName,
      version: args.version,
      roleArn: clusterRole.arn,
      vpcConfig: {
        subnetIds: [...args.privateSubnetIds, ...args.publicSubnetIds],
        endpointPrivateAccess: true,
        endpointPublicAccess: true,
      },
      // Access entries only (no aws-auth ConfigMap); whoever runs `pulumi up` becomes cluster admin.
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
    }, { ...parent, dependsOn: [clusterPolicy] });

    const nodeRole = new aws.iam.Role(`${name}-nodes`, { assumeRolePolicy: JSON.stringify(assumeRoleForService('ec2.amazonaws.com')) }, parent);
    // The node role gets only what a node needs; the apps' AWS rights live in their own IRSA roles.
    const nodePolicies = ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly'].map(
      (policy) => new aws.iam.RolePolicyAttachment(`${name}-nodes-${policy}`, { role: nodeRole.name, policyArn: `${MANAGED}/${policy}` }, parent),
    );

    const launchTemplate = new aws.ec2.LaunchTemplate(`${name}-nodes`, {
      // With our own groups EKS no longer adds its cluster group, which nodes need to reach the control plane.
      vpcSecurityGroupIds: [args.nodeSecurityGroupId, this.cluster.vpcConfig.clusterSecurityGroupId],
      // Hop limit 1 keeps pods away from the instance metadata service, so no pod can fall back to the node role.
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      updateDefaultVersion: true,
    }, parent);

    this.nodeGroup = new aws.eks.NodeGroup(name, {
      clusterName: this.cluster.name,
      nodeRoleArn: nodeRole.arn,
      subnetIds: args.privateSubnetIds,
      instanceTypes: [args.nodeInstanceType],
      scalingConfig: { desiredSize: args.desiredSize, minSize: args.minSize, maxSize: args.maxSize },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
    }, { ...parent, dependsOn: nodePolicies });

    this.oidcIssuer = this.cluster.identities.apply((ids) => ids[0]!.oidcs[0]!.issuer);
    this.oidcProvider = new aws.iam.OpenIdConnectProvider(name, { url: this.oidcIssuer, clientIdLists: ['sts.amazonaws.com'] }, parent);

    this.kubeconfig = pulumi.secret(
      pulumi
        .all([this.cluster.name, this.cluster.endpoint, this.cluster.certificateAuthority.data])
        .apply(([clusterName, endpoint, caData]) => kubeconfigFor({ clusterName, endpoint, caData, region: args.region })),
    );
    this.registerOutputs({ clusterName: this.cluster.name });
  }
}
