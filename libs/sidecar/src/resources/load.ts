import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { ResourceError } from '../errors';
import {
  componentSchema,
  configurationSchema,
  fieldPath,
  resiliencySchema,
  subscriptionV1Schema,
  subscriptionV2Schema,
} from './schema';
import type {
  ComponentResource,
  ConfigurationResource,
  LoadedResources,
  ResiliencyResource,
  ResiliencyTarget,
  ResourceOrigin,
  SubscriptionResource,
} from './types';

export interface LoadOptions {
  resourcesPaths: string[];
  configPath?: string;
  appId: string;
  namespace?: string;
  /** Told about documents that are skipped (other kinds, other scopes or namespaces). */
  onSkip?: (origin: ResourceOrigin, reason: string) => void;
}

const DAPR_KINDS = new Set(['Component', 'Subscription', 'Configuration', 'Resiliency']);

/** Reads every YAML document under the resources paths (and the `--config` file), validates it and applies scopes. */
export async function loadResources(opts: LoadOptions): Promise<LoadedResources> {
  const loaded: LoadedResources = { components: [], subscriptions: [], resiliencies: [] };
  for (const dir of opts.resourcesPaths) {
    for (const file of await yamlFilesUnder(dir)) {
      for (const { doc, origin } of await readDocuments(file)) {
        const resource = parseResource(doc, origin);
        if (!resource) {
          opts.onSkip?.(origin, 'not a Dapr resource kind this sidecar loads');
          continue;
        }
        if (resource.kind === 'Configuration') continue; // only the --config file configures the sidecar
        const skip = outOfScope(resource, opts);
        if (skip) {
          opts.onSkip?.(origin, skip);
          continue;
        }
        if (resource.kind === 'Component') loaded.components.push(resource);
        else if (resource.kind === 'Subscription') loaded.subscriptions.push(resource);
        else loaded.resiliencies.push(resource);
      }
    }
  }
  if (opts.configPath) loaded.configuration = await loadConfiguration(opts.configPath);
  rejectDuplicateNames(loaded.components, 'component');
  return loaded;
}

async function loadConfiguration(file: string): Promise<ConfigurationResource> {
  const docs = await readDocuments(file);
  for (const { doc, origin } of docs) {
    const resource = parseResource(doc, origin);
    if (resource?.kind === 'Configuration') return resource;
  }
  throw new ResourceError(file, 1, 'kind', 'no document of kind Configuration in the --config file');
}

async function yamlFilesUnder(dir: string): Promise<string[]> {
  let entries;
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw new ResourceError(dir, 0, '', 'resources path is not a directory');
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (err instanceof ResourceError) throw err;
    throw new ResourceError(dir, 0, '', 'resources path does not exist or cannot be read');
  }
  // A ConfigMap volume holds symlinks (`cart.yaml -> ..data/cart.yaml`); daprd reads them like files, and so do we.
  const yaml = entries.filter((e) => (e.isFile() || e.isSymbolicLink()) && /\.ya?ml$/i.test(e.name)).map((e) => path.join(dir, e.name));
  const files = await Promise.all(yaml.map(async (f) => ((await stat(f).catch(() => undefined))?.isFile() ? f : undefined)));
  return files.filter((f): f is string => f !== undefined).sort();
}

async function readDocuments(file: string): Promise<{ doc: unknown; origin: ResourceOrigin }[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ResourceError(file, 0, '', 'cannot be read');
  }
  const out: { doc: unknown; origin: ResourceOrigin }[] = [];
  parseAllDocuments(text).forEach((document, i) => {
    const origin = { file, document: i + 1 };
    if ('errors' in document && document.errors.length > 0) {
      throw new ResourceError(file, i + 1, '', `invalid YAML: ${document.errors[0]!.message.split('\n')[0]}`);
    }
    const doc = document.toJS();
    if (doc !== null && doc !== undefined) out.push({ doc, origin });
  });
  return out;
}

function parseResource(doc: unknown, origin: ResourceOrigin) {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new ResourceError(origin.file, origin.document, '', 'a resource must be a YAML mapping');
  }
  const { kind, apiVersion } = doc as { kind?: unknown; apiVersion?: unknown };
  if (typeof apiVersion !== 'string' || !apiVersion.startsWith('dapr.io/') || typeof kind !== 'string' || !DAPR_KINDS.has(kind)) {
    return undefined;
  }
  switch (kind) {
    case 'Component':
      return toComponent(check(componentSchema, doc, origin), origin);
    case 'Subscription':
      return apiVersion === 'dapr.io/v1alpha1'
        ? toSubscriptionV1(check(subscriptionV1Schema, doc, origin), origin)
        : toSubscriptionV2(check(subscriptionV2Schema, doc, origin), origin);
    case 'Configuration':
      return toConfiguration(check(configurationSchema, doc, origin), origin);
    default:
      return toResiliency(check(resiliencySchema, doc, origin), origin);
  }
}

function check<S extends z.ZodType>(schema: S, doc: unknown, origin: ResourceOrigin): z.output<S> {
  const result = schema.safeParse(doc);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const message = issue.code === 'invalid_type' && issue.message.includes('undefined') ? 'is required' : issue.message;
  throw new ResourceError(origin.file, origin.document, fieldPath(issue.path), message);
}

function toComponent(c: z.output<typeof componentSchema>, origin: ResourceOrigin): ComponentResource {
  return {
    kind: 'Component',
    name: c.metadata.name,
    namespace: c.metadata.namespace,
    type: c.spec.type,
    version: c.spec.version,
    initTimeoutMs: c.spec.initTimeout ?? 5000,
    ignoreErrors: c.spec.ignoreErrors ?? false,
    metadata: (c.spec.metadata ?? []).map((m) => ({
      name: m.name,
      value: m.value ?? undefined,
      secretKeyRef: m.secretKeyRef ? { name: m.secretKeyRef.name, key: m.secretKeyRef.key ?? m.secretKeyRef.name } : undefined,
      envRef: m.envRef,
    })),
    secretStore: c.auth?.secretStore,
    scopes: c.scopes,
    origin,
  };
}

function toSubscriptionV1(s: z.output<typeof subscriptionV1Schema>, origin: ResourceOrigin): SubscriptionResource {
  return {
    kind: 'Subscription',
    apiVersion: 'dapr.io/v1alpha1',
    name: s.metadata.name,
    namespace: s.metadata.namespace,
    pubsubname: s.spec.pubsubname,
    topic: s.spec.topic,
    rules: [{ path: withLeadingSlash(s.spec.route) }],
    metadata: s.spec.metadata ?? {},
    deadLetterTopic: s.spec.deadLetterTopic || undefined,
    bulkSubscribe: s.spec.bulkSubscribe,
    scopes: s.scopes,
    origin,
  };
}

function toSubscriptionV2(s: z.output<typeof subscriptionV2Schema>, origin: ResourceOrigin): SubscriptionResource {
  const rules = (s.spec.routes.rules ?? []).map((r) => ({ match: r.match || undefined, path: withLeadingSlash(r.path) }));
  if (s.spec.routes.default) rules.push({ match: undefined, path: withLeadingSlash(s.spec.routes.default) });
  if (rules.length === 0) throw new ResourceError(origin.file, origin.document, 'spec.routes', 'needs at least one rule or a default route');
  return {
    kind: 'Subscription',
    apiVersion: 'dapr.io/v2alpha1',
    name: s.metadata.name,
    namespace: s.metadata.namespace,
    pubsubname: s.spec.pubsubname,
    topic: s.spec.topic,
    rules,
    metadata: s.spec.metadata ?? {},
    deadLetterTopic: s.spec.deadLetterTopic || undefined,
    bulkSubscribe: s.spec.bulkSubscribe,
    scopes: s.scopes,
    origin,
  };
}

function toConfiguration(c: z.output<typeof configurationSchema>, origin: ResourceOrigin): ConfigurationResource {
  const spec = c.spec;
  (spec.secrets?.scopes ?? []).forEach((s, i, all) => {
    if (all.findIndex((o) => o.storeName === s.storeName) !== i) {
      throw new ResourceError(origin.file, origin.document, `spec.secrets.scopes[${i}].storeName`, `"${s.storeName}" storeName is repeated in secrets configuration`);
    }
  });
  return {
    kind: 'Configuration',
    name: c.metadata.name,
    namespace: c.metadata.namespace,
    tracingSamplingRate: spec.tracing?.samplingRate,
    features: spec.features ?? [],
    secretScopes: (spec.secrets?.scopes ?? []).map((s) => ({
      storeName: s.storeName,
      defaultAccess: s.defaultAccess ?? 'allow',
      allowedSecrets: s.allowedSecrets ?? [],
      deniedSecrets: s.deniedSecrets ?? [],
    })),
    apiLogging: spec.logging?.apiLogging
      ? { enabled: spec.logging.apiLogging.enabled ?? false, omitHealthChecks: spec.logging.apiLogging.omitHealthChecks ?? false }
      : undefined,
    origin,
  };
}

function toResiliency(r: z.output<typeof resiliencySchema>, origin: ResourceOrigin): ResiliencyResource {
  const policies = r.spec.policies;
  const resiliency: ResiliencyResource = {
    kind: 'Resiliency',
    name: r.metadata.name,
    namespace: r.metadata.namespace,
    timeoutsMs: policies.timeouts ?? {},
    retries: Object.fromEntries(
      Object.entries(policies.retries ?? {}).map(([name, p]) => [
        name,
        {
          policy: p.policy ?? 'constant',
          durationMs: p.duration ?? 5000,
          maxIntervalMs: p.maxInterval ?? 60_000,
          maxRetries: p.maxRetries ?? -1,
          httpStatusCodes: p.matching?.httpStatusCodes,
        },
      ]),
    ),
    circuitBreakers: Object.fromEntries(
      Object.entries(policies.circuitBreakers ?? {}).map(([name, cb]) => [
        name,
        { maxRequests: cb.maxRequests ?? 1, intervalMs: cb.interval ?? 0, timeoutMs: cb.timeout ?? 60_000, trip: cb.trip ?? 'consecutiveFailures > 5' },
      ]),
    ),
    apps: r.spec.targets.apps ?? {},
    actors: r.spec.targets.actors ?? {},
    components: r.spec.targets.components ?? {},
    scopes: r.scopes,
    origin,
  };
  checkPolicyReferences(resiliency);
  return resiliency;
}

/** A target that names a policy which does not exist is a configuration mistake daprd reports at load. */
function checkPolicyReferences(r: ResiliencyResource): void {
  const check = (target: ResiliencyTarget | undefined, field: string) => {
    if (!target) return;
    const refs: [string | undefined, Record<string, unknown>, string][] = [
      [target.timeout, r.timeoutsMs, 'timeout'],
      [target.retry, r.retries, 'retry'],
      [target.circuitBreaker, r.circuitBreakers, 'circuitBreaker'],
    ];
    for (const [ref, pool, key] of refs) {
      if (ref !== undefined && !(ref in pool)) {
        throw new ResourceError(r.origin.file, r.origin.document, `${field}.${key}`, `no ${key} policy named '${ref}' in spec.policies`);
      }
    }
  };
  for (const [id, t] of Object.entries(r.apps)) check(t, `spec.targets.apps.${id}`);
  for (const [id, t] of Object.entries(r.actors)) check(t, `spec.targets.actors.${id}`);
  for (const [id, t] of Object.entries(r.components)) {
    check(t.inbound, `spec.targets.components.${id}.inbound`);
    check(t.outbound, `spec.targets.components.${id}.outbound`);
  }
}

function outOfScope(resource: ComponentResource | SubscriptionResource | ResiliencyResource, opts: LoadOptions): string | undefined {
  if (resource.namespace && opts.namespace && resource.namespace !== opts.namespace) {
    return `namespace ${resource.namespace} is not ${opts.namespace}`;
  }
  if (resource.scopes.length > 0 && !resource.scopes.includes(opts.appId)) {
    return `scoped to ${resource.scopes.join(', ')}`;
  }
  return undefined;
}

function rejectDuplicateNames(components: ComponentResource[], what: string): void {
  const seen = new Map<string, ComponentResource>();
  for (const c of components) {
    const first = seen.get(c.name);
    if (first) {
      throw new ResourceError(c.origin.file, c.origin.document, 'metadata.name', `${what} ${c.name} is already defined in ${first.origin.file}`);
    }
    seen.set(c.name, c);
  }
}

function withLeadingSlash(p: string): string {
  return p.startsWith('/') ? p : `/${p}`;
}
