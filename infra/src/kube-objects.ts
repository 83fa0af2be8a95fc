import * as pulumi from '@pulumi/pulumi';
import { parseAllDocuments, stringify } from 'yaml';

/** A Kubernetes object as kustomize renders it; fields may hold Pulumi inputs once endpoints are filled in. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, pulumi.Input<string>> };
  [field: string]: unknown;
}

/** What only exists once AWS has created it: the values k8s/overlays/eks leaves as placeholders. */
export interface EksEndpoints {
  region: string;
  accountId: pulumi.Input<string>;
  /** host:port of the Redis primary. */
  redisHost: pulumi.Input<string>;
  redisPassword: pulumi.Input<string>;
  /** The Secret keys the Redis Components read their password from (`secretKeyRef`). */
  redisPasswordRefs: readonly { name: string; key: string }[];
  roleArnOf(serviceAccount: string): pulumi.Input<string> | undefined;
  /** An ECR repository name (the image's path after the registry host) → the image to run, with its tag. */
  imageOf(repository: string): pulumi.Input<string> | undefined;
  frontLoadBalancerSecurityGroupId: pulumi.Input<string>;
}

export const ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';
export const LB_SECURITY_GROUPS_ANNOTATION = 'service.beta.kubernetes.io/aws-load-balancer-security-groups';
/** Pods wait for images pushed after the first `pulumi up` created ECR; Pulumi must not wait with them. */
export const SKIP_AWAIT_ANNOTATION = 'pulumi.com/skipAwait';

/**
 * Puts the real endpoints into one rendered object, in place (the shape of a `kustomize.Directory` transformation):
 * each IRSA service account gets its app's role, the Redis Components the ElastiCache primary with TLS, the SNS/SQS
 * Component the region and account (so sidecars look entities up instead of creating them), the Secret the Redis
 * Components read gets the AUTH token, every image points at ECR, and the front's load balancer gets its group.
 */
export function fillEndpoints(o: KubeObject, endpoints: EksEndpoints): void {
  switch (o.kind) {
    case 'ServiceAccount':
      return fillServiceAccount(o, endpoints);
    case 'Secret':
      return fillSecret(o, endpoints);
    case 'ConfigMap':
      return fillDaprResourceFiles(o, endpoints);
    case 'Service':
      if (isFront(o) && (o['spec'] as { type?: string } | undefined)?.type === 'LoadBalancer') {
        annotate(o, LB_SECURITY_GROUPS_ANNOTATION, endpoints.frontLoadBalancerSecurityGroupId);
        annotate(o, SKIP_AWAIT_ANNOTATION, 'true');
      }
      return;
    case 'Deployment':
      fillImages(o, endpoints);
      annotate(o, SKIP_AWAIT_ANNOTATION, 'true');
      return;
    case 'Component':
      if (o.apiVersion.startsWith('dapr.io/')) fillComponent(o, endpoints);
      return;
  }
}

/** The front's Service: labelled or named for the `front` app. */
export function isFront(o: KubeObject): boolean {
  return o.metadata.labels?.['app.kubernetes.io/name'] === 'front' || o.metadata.name === 'front';
}

function fillServiceAccount(sa: KubeObject, endpoints: EksEndpoints): void {
  if (!sa.metadata.annotations || !(ROLE_ARN_ANNOTATION in sa.metadata.annotations)) return;
  const arn = endpoints.roleArnOf(sa.metadata.name);
  if (!arn) throw new Error(`ServiceAccount ${sa.metadata.name} asks for an IRSA role, but its app uses no AWS service`);
  annotate(sa, ROLE_ARN_ANNOTATION, arn);
}

function fillSecret(secret: KubeObject, endpoints: EksEndpoints): void {
  const keys = endpoints.redisPasswordRefs.filter((r) => r.name === secret.metadata.name).map((r) => r.key);
  if (keys.length === 0) return;
  const data = (secret['data'] ?? {}) as Record<string, string>;
  const stringData = (secret['stringData'] ??= {}) as Record<string, pulumi.Input<string>>;
  for (const key of keys) {
    delete data[key];
    stringData[key] = pulumi.secret(endpoints.redisPassword);
  }
}

/** The ConfigMap our sidecars mount as `--resources-path`: its files are Component and Subscription YAML. */
function fillDaprResourceFiles(configMap: KubeObject, endpoints: EksEndpoints): void {
  const data = configMap['data'] as Record<string, pulumi.Input<string>> | undefined;
  for (const [file, text] of Object.entries(data ?? {})) {
    if (typeof text !== 'string' || !/^apiVersion:\s*dapr\.io\//m.test(text)) continue;
    data![file] = pulumi
      .all([endpoints.redisHost, endpoints.accountId])
      .apply(([redisHost, accountId]) => fillDaprYaml(text, { ...endpoints, redisHost, accountId }));
  }
}

/** Fills every Component of a multi-document Dapr resource file; the other documents pass through. */
export function fillDaprYaml(text: string, endpoints: Pick<EksEndpoints, 'region'> & { redisHost: string; accountId: string }): string {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`invalid YAML in a Dapr resource file: ${doc.errors[0]!.message}`);
      const value = doc.toJSON() as KubeObject | null;
      if (value?.kind === 'Component' && value.apiVersion.startsWith('dapr.io/')) fillComponent(value, endpoints);
      return value;
    })
    .filter((value) => value !== null)
    .map((value) => stringify(value))
    .join('---\n');
}

type MetadataItem = { name: string; value?: pulumi.Input<string>; secretKeyRef?: unknown };

function fillComponent(component: KubeObject, endpoints: { region: string; redisHost: pulumi.Input<string>; accountId: pulumi.Input<string> }): void {
  const spec = component['spec'] as { type: string; metadata?: MetadataItem[] };
  const items = (spec.metadata ??= []);
  const set = (name: string, value: pulumi.Input<string>) => {
    const item = items.find((m) => m.name === name);
    if (item) {
      item.value = value;
      delete item.secretKeyRef;
    } else items.push({ name, value });
  };
  if (spec.type === 'state.redis' || spec.type === 'pubsub.redis') {
    set('redisHost', endpoints.redisHost);
    set('enableTLS', 'true');
  } else if (spec.type === 'pubsub.snssqs' || spec.type === 'pubsub.aws.snssqs') {
    set('region', endpoints.region);
    // daprd and our sidecar then build topic ARNs themselves instead of asking STS or listing topics.
    set('accountID', endpoints.accountId);
    // The sidecars' roles may not create topics, queues or subscriptions: the infrastructure owns them.
    set('disableEntityManagement', 'true');
  }
}

function fillImages(o: KubeObject, endpoints: EksEndpoints): void {
  const podSpec = (o['spec'] as { template?: { spec?: Record<string, { image?: pulumi.Input<string> }[] | undefined> } } | undefined)?.template?.spec;
  for (const container of [...(podSpec?.['containers'] ?? []), ...(podSpec?.['initContainers'] ?? [])]) {
    if (typeof container.image !== 'string') continue;
    const repository = container.image.replace(/@.*$/, '').replace(/:[^/:]*$/, '').split('/').slice(1).join('/');
    const image = endpoints.imageOf(repository);
    if (!image) throw new Error(`Deployment ${o.metadata.name} runs image ${container.image}, which has no ECR repository here`);
    container.image = image;
  }
}

function annotate(o: KubeObject, key: string, value: pulumi.Input<string>): void {
  o.metadata.annotations = { ...o.metadata.annotations, [key]: value };
}
