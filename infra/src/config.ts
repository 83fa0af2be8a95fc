import * as pulumi from '@pulumi/pulumi';

/** The stack's settings: every key of Pulumi.dev.yaml, typed, with the defaults a key left out takes. */
export interface Settings {
  region: string;
  clusterSize: number;
  nodeMinSize: number;
  nodeMaxSize: number;
  nodeInstanceType: string;
  /** Undefined lets EKS pick its current default version. */
  kubernetesVersion?: string;
  redisNodeType: string;
  redisNodeCount: number;
  redisAuthToken: pulumi.Output<string>;
  imageTag: string;
}

/** Every project key the program reads; a test checks Pulumi.dev.yaml documents exactly these. */
export const CONFIG_KEYS = [
  'clusterSize',
  'nodeMinSize',
  'nodeMaxSize',
  'nodeInstanceType',
  'kubernetesVersion',
  'redisNodeType',
  'redisNodeCount',
  'imageTag',
  'redisAuthToken',
] as const;

export function readSettings(): Settings {
  const config = new pulumi.Config();
  const region = new pulumi.Config('aws').require('region');
  const clusterSize = config.getNumber('clusterSize', { min: 1 }) ?? 2;
  const nodeMinSize = config.getNumber('nodeMinSize', { min: 1 }) ?? Math.min(2, clusterSize);
  const nodeMaxSize = config.getNumber('nodeMaxSize', { min: 1 }) ?? Math.max(4, clusterSize);
  if (nodeMinSize > clusterSize || clusterSize > nodeMaxSize) {
    throw new Error(`config: need nodeMinSize <= clusterSize <= nodeMaxSize, got ${nodeMinSize} <= ${clusterSize} <= ${nodeMaxSize}`);
  }
  return {
    region,
    clusterSize,
    nodeMinSize,
    nodeMaxSize,
    nodeInstanceType: config.get('nodeInstanceType') || 't3.medium',
    kubernetesVersion: config.get('kubernetesVersion') || undefined,
    redisNodeType: config.get('redisNodeType') || 'cache.t4g.micro',
    redisNodeCount: config.getNumber('redisNodeCount', { min: 1, max: 6 }) ?? 1,
    // ElastiCache rejects other tokens only at create time, minutes into `pulumi up`; fail at preview instead.
    redisAuthToken: config.requireSecret('redisAuthToken').apply(checkAuthToken),
    imageTag: config.get('imageTag') || 'latest',
  };
}

/** ElastiCache's AUTH token rules: 16-128 printable ASCII characters, none of space, '/', '"' and '@'. */
export function checkAuthToken(token: string): string {
  if (token.length < 16 || token.length > 128 || !/^[\x21-\x7e]+$/.test(token) || /[/"@]/.test(token)) {
    throw new Error("config: redisAuthToken must be 16-128 printable characters without spaces, '/', '\"' or '@'");
  }
  return token;
}
