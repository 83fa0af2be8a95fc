import { DaprError } from '../../errors';

export interface KeyScheme {
  /** The store key for an API key, e.g. `myapp||order-1`. */
  toStoreKey(key: string): string;
}

/**
 * daprd's `keyPrefix` built-in: `appid` (default), `name` (the store's name), `namespace` (`<ns>.<appid>`),
 * `none`, or any other string used literally. The stored key is `<prefix>||<key>`.
 */
export function keyScheme(mode: string | undefined, ids: { appId: string; storeName: string; namespace?: string }): KeyScheme {
  const prefix = prefixFor(mode ?? 'appid', ids);
  if (prefix === '') return { toStoreKey: (key) => checkKey(key) };
  const head = `${prefix}||`;
  return { toStoreKey: (key) => head + checkKey(key) };
}

function prefixFor(mode: string, ids: { appId: string; storeName: string; namespace?: string }): string {
  switch (mode.toLowerCase()) {
    case 'appid':
      return ids.appId;
    case 'name':
      return ids.storeName;
    case 'namespace':
      return ids.namespace ? `${ids.namespace}.${ids.appId}` : ids.appId;
    case 'none':
      return '';
    default:
      if (mode.includes('||')) throw new Error(`keyPrefix '${mode}' can't contain '||'`);
      return mode;
  }
}

function checkKey(key: string): string {
  if (key.includes('||')) {
    throw new DaprError(400, 'ERR_MALFORMED_REQUEST', `input key/keyPrefix '${key}' can't contain '||'`);
  }
  return key;
}
