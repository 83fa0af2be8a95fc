import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface RedisArgs {
  vpcId: pulumi.Input<string>;
  privateSubnetIds: pulumi.Input<string>[];
  /** The only group allowed in: the worker nodes'. */
  clientSecurityGroupId: pulumi.Input<string>;
  nodeType: string;
  nodeCount: number;
  authToken: pulumi.Input<string>;
}

export const REDIS_PORT = 6379;

/**
 * ElastiCache Redis for the state stores, as nautible's Terraform has it: a replication group in the private
 * subnets, TLS in transit (the Components set `enableTLS`), encrypted at rest, an AUTH token from the stack's
 * secrets, reachable from the worker nodes only.
 */
export class Redis extends pulumi.ComponentResource {
  readonly replicationGroup: aws.elasticache.ReplicationGroup;
  readonly securityGroup: aws.ec2.SecurityGroup;
  /** host:port of the primary, as the Components' `redisHost` wants it. */
  readonly endpoint: pulumi.Output<string>;

  constructor(name: string, args: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
    super('template:aws:Redis', name, {}, opts);
    const parent = { parent: this };

    const subnetGroup = new aws.elasticache.SubnetGroup(name, {
      description: 'private subnets of the EKS VPC',
      subnetIds: args.privateSubnetIds,
    }, parent);
    this.securityGroup = new aws.ec2.SecurityGroup(`${name}-redis`, {
      vpcId: args.vpcId,
      description: 'Redis, from the EKS worker nodes only',
      ingress: [{ description: 'worker nodes', protocol: 'tcp', fromPort: REDIS_PORT, toPort: REDIS_PORT, securityGroups: [args.clientSecurityGroupId] }],
      tags: { Name: `${name}-redis` },
    }, parent);

    const failover = args.nodeCount > 1;
    this.replicationGroup = new aws.elasticache.ReplicationGroup(name, {
      description: 'state stores of the Dapr template',
      engine: 'redis',
      engineVersion: '7.1',
      nodeType: args.nodeType,
      numCacheClusters: args.nodeCount,
      automaticFailoverEnabled: failover,
      multiAzEnabled: failover,
      port: REDIS_PORT,
      subnetGroupName: subnetGroup.name,
      securityGroupIds: [this.securityGroup.id],
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      authToken: args.authToken,
      applyImmediately: true,
    }, parent);
    this.endpoint = pulumi.interpolate`${this.replicationGroup.primaryEndpointAddress}:${REDIS_PORT}`;
    this.registerOutputs({ endpoint: this.endpoint });
  }
}
