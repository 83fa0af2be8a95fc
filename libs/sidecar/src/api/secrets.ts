import type { ComponentHost } from '../components/host';
import { SecretNotFoundError } from '../components/secretstores/secret-store';
import { DaprError, errorMessage } from '../errors';
import type { SecretScope } from '../resources/types';
import { metadataFromQuery, sendJson, sendNoContent } from './http';
import type { RequestContext, Route } from './route';

export interface SecretsApiDeps {
  components: ComponentHost;
  /** The Configuration's `spec.secrets.scopes`. */
  scopes: SecretScope[];
}

/** `/v1.0/secrets/{store}/{name}` and `/bulk`, with the Configuration's secret scopes applied. */
export function secretRoutes(deps: SecretsApiDeps): Route[] {
  const scopeByStore = new Map(deps.scopes.map((s) => [s.storeName, s]));
  // daprd's SecretsScope.IsSecretAllowed: a non-empty allowedSecrets list decides alone, then deniedSecrets, then defaultAccess.
  const allowed = (store: string, name: string) => {
    const scope = scopeByStore.get(store);
    if (!scope) return true;
    if (scope.allowedSecrets.length > 0) return scope.allowedSecrets.includes(name);
    if (scope.deniedSecrets.includes(name)) return false;
    return scope.defaultAccess === 'allow';
  };
  const storeFor = (name: string | undefined) => {
    if (deps.components.secretstores.size === 0) throw new DaprError(500, 'ERR_SECRET_STORES_NOT_CONFIGURED', 'secret store is not configured');
    const loaded = name ? deps.components.secretstores.get(name) : undefined;
    // daprd has long answered 401 here; the SDKs expect it.
    if (!loaded) throw new DaprError(401, 'ERR_SECRET_STORE_NOT_FOUND', `failed finding secret store with key ${name}`);
    return loaded;
  };

  const getOne = async ({ res, params, query }: RequestContext) => {
    const storeName = params['storeName']!;
    const name = params['key'] ?? '';
    const store = storeFor(storeName);
    if (!allowed(storeName, name)) {
      throw new DaprError(403, 'ERR_PERMISSION_DENIED', `access denied by policy to get ${name} from ${storeName}`);
    }
    let secret: Record<string, string>;
    try {
      secret = await store.instance.getSecret(name, metadataFromQuery(query));
    } catch (err) {
      const cause = err instanceof SecretNotFoundError ? err.message : errorMessage(err);
      throw new DaprError(500, 'ERR_SECRET_GET', `failed getting secret with key ${name} from secret store ${storeName}: ${cause}`);
    }
    if (Object.keys(secret).length === 0) return sendNoContent(res);
    sendJson(res, 200, secret);
  };

  const getBulk = async ({ res, params, query }: RequestContext) => {
    const storeName = params['storeName']!;
    const store = storeFor(storeName);
    let all: Record<string, Record<string, string>>;
    try {
      all = await store.instance.bulkGetSecret(metadataFromQuery(query));
    } catch (err) {
      throw new DaprError(500, 'ERR_SECRET_GET', `failed getting secrets from secret store ${storeName}: ${errorMessage(err)}`);
    }
    // Secrets the scope denies are left out silently, as daprd does.
    const visible = Object.fromEntries(Object.entries(all).filter(([name]) => allowed(storeName, name)));
    sendJson(res, 200, visible);
  };

  return [
    { methods: ['GET'], path: '/v1.0/secrets/:storeName/bulk', handler: getBulk },
    { methods: ['GET'], path: '/v1.0/secrets/:storeName/:key', handler: getOne },
  ];
}
