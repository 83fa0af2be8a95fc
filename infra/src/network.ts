import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface NetworkArgs {
  /** The EKS cluster's name: subnets carry its tag so Kubernetes finds them for load balancers. */
  clusterName: string;
  cidrBlock?: string;
  /** The port the front's load balancer listens on, the only port open to the internet. */
  frontPort?: number;
}

const NODE_PORTS = { fromPort: 30000, toPort: 32767 };

/**
 * A VPC over two availability zones: public subnets (load balancers, the NAT gateway) and private subnets (nodes,
 * Redis), one NAT gateway for the private subnets' outbound traffic, and the security groups the other components
 * build on. Only the front's load balancer group is reachable from the internet.
 */
export class Network extends pulumi.ComponentResource {
  readonly vpc: aws.ec2.Vpc;
  readonly publicSubnets: aws.ec2.Subnet[];
  readonly privateSubnets: aws.ec2.Subnet[];
  /** Attached to every worker node; Redis admits this group only. */
  readonly nodeSecurityGroup: aws.ec2.SecurityGroup;
  /** Given to the front's Service (load balancer annotation): the internet may reach it on the front port. */
  readonly frontLoadBalancerSecurityGroup: aws.ec2.SecurityGroup;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('template:aws:Network', name, {}, opts);
    const parent = { parent: this };
    const cidrBlock = args.cidrBlock ?? '10.0.0.0/16';
    const clusterTag = { [`kubernetes.io/cluster/${args.clusterName}`]: 'shared' };
    const zones = aws.getAvailabilityZonesOutput({ state: 'available' }, parent).names.apply((names) => {
      if (names.length < 2) throw new Error('the region needs at least two availability zones');
      return names.slice(0, 2);
    });

    this.vpc = new aws.ec2.Vpc(name, { cidrBlock, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: name } }, parent);
    const igw = new aws.ec2.InternetGateway(name, { vpcId: this.vpc.id, tags: { Name: name } }, parent);

    // /20 public subnets for load balancers and the NAT; /18 private subnets because the VPC CNI gives every pod a VPC address.
    this.publicSubnets = [0, 1].map(
      (i) =>
        new aws.ec2.Subnet(`${name}-public-${i}`, {
          vpcId: this.vpc.id,
          availabilityZone: zones[i],
          cidrBlock: `10.0.${i * 16}.0/20`,
          mapPublicIpOnLaunch: false,
          tags: { ...clusterTag, Name: `${name}-public-${i}`, 'kubernetes.io/role/elb': '1' },
        }, parent),
    );
    this.privateSubnets = [0, 1].map(
      (i) =>
        new aws.ec2.Subnet(`${name}-private-${i}`, {
          vpcId: this.vpc.id,
          availabilityZone: zones[i],
          cidrBlock: `10.0.${128 + i * 64}.0/18`,
          tags: { ...clusterTag, Name: `${name}-private-${i}`, 'kubernetes.io/role/internal-elb': '1' },
        }, parent),
    );

    const publicRoutes = new aws.ec2.RouteTable(`${name}-public`, {
      vpcId: this.vpc.id,
      routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }],
      tags: { Name: `${name}-public` },
    }, parent);
    this.publicSubnets.forEach(
      (subnet, i) => new aws.ec2.RouteTableAssociation(`${name}-public-${i}`, { subnetId: subnet.id, routeTableId: publicRoutes.id }, parent),
    );

    // One NAT gateway keeps the bill down; a zone outage then cuts the other zone's outbound traffic too.
    const natIp = new aws.ec2.Eip(`${name}-nat`, { domain: 'vpc', tags: { Name: `${name}-nat` } }, parent);
    const nat = new aws.ec2.NatGateway(name, { subnetId: this.publicSubnets[0]!.id, allocationId: natIp.id, tags: { Name: name } }, { ...parent, dependsOn: [igw] });
    const privateRoutes = new aws.ec2.RouteTable(`${name}-private`, {
      vpcId: this.vpc.id,
      routes: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }],
      tags: { Name: `${name}-private` },
    }, parent);
    this.privateSubnets.forEach(
      (subnet, i) => new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: subnet.id, routeTableId: privateRoutes.id }, parent),
    );

    const frontPort = args.frontPort ?? 80;
    this.frontLoadBalancerSecurityGroup = new aws.ec2.SecurityGroup(`${name}-front-lb`, {
      vpcId: this.vpc.id,
      description: "The front's internet-facing load balancer",
      ingress: [{ description: 'the storefront, from anywhere', protocol: 'tcp', fromPort: frontPort, toPort: frontPort, cidrBlocks: ['0.0.0.0/0'] }],
      egress: [{ description: "to the front's node port", protocol: 'tcp', ...NODE_PORTS, cidrBlocks: [cidrBlock] }],
      tags: { Name: `${name}-front-lb` },
    }, parent);

    this.nodeSecurityGroup = new aws.ec2.SecurityGroup(`${name}-nodes`, {
      vpcId: this.vpc.id,
      description: 'EKS worker nodes (node-to-node and control plane traffic go through the EKS cluster security group)',
      ingress: [{ description: "the front's load balancer", protocol: 'tcp', ...NODE_PORTS, securityGroups: [this.frontLoadBalancerSecurityGroup.id] }],
      egress: [{ description: 'image pulls, AWS APIs', protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] }],
      tags: { Name: `${name}-nodes` },
    }, parent);

    this.registerOutputs({ vpcId: this.vpc.id });
  }
}
