import { randomUUID } from 'node:crypto';
import { ResourceError } from '../errors';
import type { ComponentResource } from './types';

export interface ResolveContext {
  appId: string;
  namespace?: string;
  env: NodeJS.ProcessEnv;
  /** Finds a secret in a loaded secret store; rejects when the store or the secret is missing. */
  getSecret: (store: string, name: string, key: string) => Promise<string>;
  /** The store used when a component has no `auth.secretStore` (`kubernetes` in Kubernetes mode). */
  defaultSecretStore?: string;
}

/**
 * Turns a component's metadata list into plain `name → value` strings: `value` as written (with daprd's
 * `{uuid}`, `{appID}`, `{namespace}`, `{podName}` templates), `envRef` from the environment, and
 * `secretKeyRef` through the component's secret store.
 */
export async function resolveMetadata(component: ComponentResource, ctx: ResolveContext): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [i, item] of component.metadata.entries()) {
    const field = `spec.metadata[${i}]`;
    if (item.secretKeyRef) {
      const store = component.secretStore ?? ctx.defaultSecretStore;
      if (!store) {
        throw new ResourceError(component.origin.file, component.origin.document, `${field}.secretKeyRef`,
          `${item.name} reads secret ${item.secretKeyRef.name} but the component names no secret store (set auth.secretStore)`);
      }
      try {
        out[item.name] = await ctx.getSecret(store, item.secretKeyRef.name, item.secretKeyRef.key);
      } catch (err) {
        throw new ResourceError(component.origin.file, component.origin.document, `${field}.secretKeyRef`,
          `cannot read secret ${item.secretKeyRef.name}/${item.secretKeyRef.key} from store ${store}: ${(err as Error).message}`);
      }
    } else if (item.envRef) {
      out[item.name] = ctx.env[item.envRef] ?? '';
    } else {
      out[item.name] = expandTemplates(item.value ?? '', ctx);
    }
  }
  return out;
}

function expandTemplates(value: string, ctx: ResolveContext): string {
  if (!value.includes('{')) return value;
  return value
    .replaceAll('{uuid}', () => randomUUID())
    .replaceAll('{appID}', ctx.appId)
    .replaceAll('{namespace}', ctx.namespace ? `${ctx.namespace}.${ctx.appId}` : ctx.appId)
    .replaceAll('{podName}', ctx.env['POD_NAME'] ?? ctx.env['HOSTNAME'] ?? '');
}
