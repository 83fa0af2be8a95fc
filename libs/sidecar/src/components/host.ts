import type { Logger } from 'pino';
import { ResourceError, errorMessage } from '../errors';
import { resolveMetadata } from '../resources/resolve';
import type { ComponentResource } from '../resources/types';
import { ComponentMetadata } from './metadata';
import type { PubSub } from './pubsub/pubsub';
import { buildingBlockOf, createComponent, unsupportedTypeReason, type BuildingBlock } from './registry';
import type { SecretStore } from './secretstores/secret-store';
import type { StateStore } from './state/state-store';

export interface LoadedComponent<T> {
  name: string;
  type: string;
  version: string;
  instance: T;
  /** The resolved metadata, which the API reads built-ins from (`keyPrefix`, `consumerID`, scopes). */
  metadata: ComponentMetadata;
}

export interface ComponentHostOptions {
  appId: string;
  namespace?: string;
  kubernetesMode: boolean;
  logger: Logger;
}

const KUBERNETES_SECRET_STORE = 'kubernetes';

/** Every component the sidecar loaded, by building block and name. Owns their lifecycle. */
export class ComponentHost {
  readonly state = new Map<string, LoadedComponent<StateStore>>();
  readonly pubsub = new Map<string, LoadedComponent<PubSub>>();
  readonly secretstores = new Map<string, LoadedComponent<SecretStore>>();

  private constructor(private readonly opts: ComponentHostOptions) {}

  /** Loads secret stores first, since the other components may read their metadata from them. */
  static async load(resources: ComponentResource[], opts: ComponentHostOptions): Promise<ComponentHost> {
    const host = new ComponentHost(opts);
    for (const c of resources) {
      const reason = unsupportedTypeReason(c.type, c.version);
      if (reason) throw new ResourceError(c.origin.file, c.origin.document, 'spec.type', reason);
    }
    if (opts.kubernetesMode && !resources.some((c) => c.name === KUBERNETES_SECRET_STORE)) host.addBuiltinKubernetesSecretStore();
    const secretStoresFirst = [...resources].sort((a, b) => Number(!a.type.startsWith('secretstores.')) - Number(!b.type.startsWith('secretstores.')));
    for (const c of secretStoresFirst) {
      try {
        await host.init(c);
      } catch (err) {
        if (!c.ignoreErrors) {
          throw err instanceof ResourceError ? err : new ResourceError(c.origin.file, c.origin.document, 'spec.metadata', errorMessage(err));
        }
        opts.logger.warn({ component: c.name, err: errorMessage(err) }, `component ${c.name} failed to initialise; ignored (spec.ignoreErrors)`);
      }
    }
    return host;
  }

  list(): { name: string; type: string; version: string; capabilities?: string[] }[] {
    const all: LoadedComponent<StateStore | PubSub | SecretStore>[] = [...this.state.values(), ...this.pubsub.values(), ...this.secretstores.values()];
    return all.map((c) => {
      const capabilities = capabilitiesOf(c.instance);
      // daprd marshals metadata with omitempty: a component without features has no `capabilities` field.
      return capabilities.length > 0 ? { name: c.name, type: c.type, version: c.version, capabilities } : { name: c.name, type: c.type, version: c.version };
    });
  }

  async close(): Promise<void> {
    const all = [...this.pubsub.values(), ...this.state.values(), ...this.secretstores.values()];
    await Promise.allSettled(all.map((c) => c.instance.close?.()));
  }

  private async init(c: ComponentResource): Promise<void> {
    const raw = await resolveMetadata(c, {
      appId: this.opts.appId,
      namespace: this.opts.namespace,
      env: process.env,
      defaultSecretStore: this.opts.kubernetesMode ? 'kubernetes' : undefined,
      getSecret: (store, name, key) => this.secret(store, name, key),
    });
    const metadata = new ComponentMetadata(c.name, raw);
    const ctx = { name: c.name, metadata, appId: this.opts.appId, namespace: this.opts.namespace, logger: this.opts.logger.child({ component: c.name }) };
    const instance = await withTimeout(createComponent(c.type, ctx), c.initTimeoutMs, `component ${c.name} (${c.type}) did not initialise within ${c.initTimeoutMs} ms`);
    const block = buildingBlockOf(c.type) as BuildingBlock;
    const loaded = { name: c.name, type: c.type, version: c.version, metadata, instance };
    (this[block] as Map<string, LoadedComponent<unknown>>).set(c.name, loaded);
  }

  /**
   * daprd registers a `kubernetes` secret store by itself in Kubernetes mode, so `secretKeyRef` works with no
   * `auth.secretStore`. It connects on first use, so a sidecar outside a cluster only fails if it is asked for a secret.
   */
  private addBuiltinKubernetesSecretStore(): void {
    const metadata = new ComponentMetadata(KUBERNETES_SECRET_STORE, {});
    const ctx = { name: KUBERNETES_SECRET_STORE, metadata, appId: this.opts.appId, namespace: this.opts.namespace, logger: this.opts.logger };
    let real: Promise<SecretStore> | undefined;
    const store = () => (real ??= createComponent('secretstores.kubernetes', ctx) as Promise<SecretStore>);
    const instance: SecretStore = {
      getSecret: async (name, md) => (await store()).getSecret(name, md),
      bulkGetSecret: async (md) => (await store()).bulkGetSecret(md),
      close: async () => (real ? (await real).close?.() : undefined),
    };
    this.secretstores.set(KUBERNETES_SECRET_STORE, { name: KUBERNETES_SECRET_STORE, type: 'secretstores.kubernetes', version: 'v1', metadata, instance });
  }

  private async secret(store: string, name: string, key: string): Promise<string> {
    const loaded = this.secretstores.get(store);
    if (!loaded) throw new Error(`secret store ${store} is not loaded`);
    const secret = await loaded.instance.getSecret(name, {});
    if (!(key in secret)) throw new Error(`secret ${name} has no key ${key}`);
    return secret[key]!;
  }
}

function capabilitiesOf(instance: StateStore | PubSub | SecretStore): string[] {
  if (!('features' in instance)) return [];
  const features = [...instance.features];
  if ('multi' in instance && instance.features.has('ETAG') && instance.features.has('TRANSACTIONAL') && !features.includes('ACTOR')) features.push('ACTOR');
  return features;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
