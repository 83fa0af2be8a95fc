import { loadResources, type ComponentResource } from '@repo/sidecar';
import path from 'node:path';
import type { DeclaredSubscription } from './messaging-plan';

export interface EksResources {
  /** Every app's declarative subscriptions on the pub/sub, as its sidecar loads them (scopes applied). */
  subscriptions: DeclaredSubscription[];
  /** App id → the consumer id its sidecar subscribes with (daprd's queue name). */
  consumerIds: Record<string, string>;
  /** The Secret keys Redis Components read their password from. */
  redisPasswordRefs: { name: string; key: string }[];
}

/**
 * What the sidecars on EKS load from their resources path, read per app with the sidecar's own resource loader,
 * so scopes, namespaces, both Subscription versions and validation are exactly the runtime's.
 */
export async function loadEksResources(opts: {
  resourcesPath: string;
  appIds: readonly string[];
  pubsubName: string;
  namespace: string;
  repoRoot: string;
}): Promise<EksResources> {
  const out: EksResources = { subscriptions: [], consumerIds: {}, redisPasswordRefs: [] };
  for (const appId of opts.appIds) {
    const loaded = await loadResources({ resourcesPaths: [opts.resourcesPath], appId, namespace: opts.namespace });
    out.consumerIds[appId] = consumerIdOf(loaded.components.find((c) => c.name === opts.pubsubName), appId, opts.namespace);
    for (const s of loaded.subscriptions.filter((sub) => sub.pubsubname === opts.pubsubName)) {
      out.subscriptions.push({ appId, topic: s.topic, deadLetterTopic: s.deadLetterTopic, file: path.relative(opts.repoRoot, s.origin.file) });
    }
    for (const c of loaded.components.filter((comp) => comp.type === 'state.redis' || comp.type === 'pubsub.redis')) {
      const ref = c.metadata.find((m) => m.name === 'redisPassword')?.secretKeyRef;
      if (ref && !out.redisPasswordRefs.some((r) => r.name === ref.name && r.key === ref.key)) out.redisPasswordRefs.push(ref);
    }
  }
  return out;
}

/** daprd's `consumerID` metadata, with the `{appID}` / `{namespace}` templates it expands; the app id by default. */
function consumerIdOf(component: ComponentResource | undefined, appId: string, namespace: string): string {
  const value = component?.metadata.find((m) => m.name.toLowerCase() === 'consumerid')?.value;
  if (!value) return appId;
  if (/\{podName\}/i.test(value)) {
    throw new Error(`${component!.origin.file}: consumerID '${value}' gives each pod its own queue; SNS/SQS here is one queue per app id`);
  }
  return value.replace(/\{appID\}/gi, appId).replace(/\{namespace\}/gi, namespace);
}
