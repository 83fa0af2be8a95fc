import { ComponentConfigError, DaprError, errorInfo, errorMessage } from '../errors';
import type { ComponentHost } from '../components/host';
import { goJson, NestingTooDeepError } from '../components/state/go-json';
import { keyScheme, type KeyScheme } from '../components/state/keys';
import {
  EtagInvalidError,
  EtagMismatchError,
  type Concurrency,
  type SetRequest,
  type StateStore,
  type StoredState,
  type TransactionOperation,
} from '../components/state/state-store';
import { metadataFromQuery, parseJson, readBody, sendJson, sendNoContent } from './http';
import type { RequestContext, Route } from './route';

/** Caps the work one request can ask for; daprd leaves this to each store's MultiMaxSize. */
const MAX_TRANSACTION_OPERATIONS = 10_000;
const MAX_BULK_KEYS = 10_000;

export interface StateApiDeps {
  components: ComponentHost;
  appId: string;
  namespace?: string;
  maxBodyBytes: number;
}

interface Store {
  name: string;
  store: StateStore;
  keys: KeyScheme;
}

/** `/v1.0/state/...`: save, get, delete, bulk get and transactions, with daprd's codes. */
export function stateRoutes(deps: StateApiDeps): Route[] {
  // Built once at start-up, so a bad `keyPrefix` stops the sidecar with the component named, not a request later.
  const stores = new Map<string, Store>();
  for (const loaded of deps.components.state.values()) {
    let keys: KeyScheme;
    try {
      keys = keyScheme(loaded.metadata.string('keyPrefix'), { appId: deps.appId, storeName: loaded.name, namespace: deps.namespace });
    } catch (err) {
      throw new ComponentConfigError(loaded.name, errorMessage(err));
    }
    stores.set(loaded.name, { name: loaded.name, store: loaded.instance, keys });
  }
  const storeFor = (name: string | undefined): Store => {
    const found = name ? stores.get(name) : undefined;
    if (found) return found;
    if (stores.size === 0) throw new DaprError(500, 'ERR_STATE_STORE_NOT_CONFIGURED', 'state store is not configured');
    throw new DaprError(400, 'ERR_STATE_STORE_NOT_FOUND', `state store ${name} is not found`, [errorInfo('DAPR_STATE_NOT_FOUND', deps.appId)]);
  };

  const save = async ({ req, res, params, query }: RequestContext) => {
    const { name, store, keys } = storeFor(params['storeName']);
    const body = parseJson(await readBody(req, deps.maxBodyBytes));
    if (!Array.isArray(body)) throw new DaprError(400, 'ERR_MALFORMED_REQUEST', 'state save body must be a JSON array of {key, value}');
    const queryMetadata = metadataFromQuery(query);
    const requests = body.map((item, i) => toSetRequest(item, i, keys, queryMetadata, 'ERR_STATE_SAVE'));
    const results = await Promise.allSettled(requests.map((r) => store.set(r)));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw storeError(failure.reason, 'ERR_STATE_SAVE', `failed saving state in state store ${name}`);
    sendNoContent(res);
  };

  const get = async ({ res, params }: RequestContext) => {
    const { name, store, keys } = storeFor(params['storeName']);
    const key = keys.toStoreKey(params['key'] ?? '');
    let item: StoredState | undefined;
    try {
      item = await store.get(key);
    } catch (err) {
      throw new DaprError(500, 'ERR_STATE_GET', `fail to get ${params['key']} from state store ${name}: ${errorMessage(err)}`);
    }
    // daprd answers 204 for a missing key.
    if (!item) return sendNoContent(res);
    const headers: Record<string, string> = { etag: item.etag };
    if (item.expireTime) headers['metadata.ttlExpireTime'] = rfc3339(item.expireTime);
    sendJson(res, 200, item.value, headers);
  };

  const remove = async ({ req, res, params, query }: RequestContext) => {
    const { store, keys } = storeFor(params['storeName']);
    const key = keys.toStoreKey(params['key'] ?? '');
    const ifMatch = req.headers['if-match'];
    try {
      await store.delete({ key, etag: ifMatch, concurrency: concurrencyOf(query.get('concurrency') ?? undefined) });
    } catch (err) {
      throw storeError(err, 'ERR_STATE_DELETE', `failed deleting state with key ${params['key']}`);
    }
    sendNoContent(res);
  };

  const bulkGet = async ({ req, res, params }: RequestContext) => {
    const { name, store, keys } = storeFor(params['storeName']);
    const body = parseJson(await readBody(req, deps.maxBodyBytes)) as { keys?: unknown } | null;
    const requested = body?.keys ?? [];
    if (!Array.isArray(requested) || requested.some((k) => typeof k !== 'string')) {
      throw new DaprError(400, 'ERR_MALFORMED_REQUEST', 'bulk get body must be {"keys": [string, ...]}');
    }
    if (requested.length > MAX_BULK_KEYS) throw new DaprError(400, 'ERR_MALFORMED_REQUEST', `at most ${MAX_BULK_KEYS} keys per bulk get`);
    const storeKeys = (requested as string[]).map((k) => keys.toStoreKey(k));
    let items: (StoredState | undefined)[];
    try {
      items = await store.bulkGet(storeKeys);
    } catch (err) {
      throw new DaprError(500, 'ERR_STATE_BULK_GET', `failed getting state in bulk from state store ${name}: ${errorMessage(err)}`);
    }
    // The stored text already is JSON, so it is spliced in rather than parsed and serialised again.
    const entries = (requested as string[]).map((key, i) => {
      const item = items[i];
      if (!item) return `{"key":${JSON.stringify(key)}}`;
      const metadata = item.expireTime ? `,"metadata":{"ttlExpireTime":"${rfc3339(item.expireTime)}"}` : '';
      return `{"key":${JSON.stringify(key)},"data":${asJsonText(item.value)},"etag":${JSON.stringify(item.etag)}${metadata}}`;
    });
    sendJson(res, 200, `[${entries.join(',')}]`);
  };

  const transaction = async ({ req, res, params, query }: RequestContext) => {
    const { name, store, keys } = storeFor(params['storeName']);
    if (!store.multi) {
      throw new DaprError(500, 'ERR_STATE_STORE_NOT_SUPPORTED', `state store ${name} doesn't support transaction`);
    }
    const body = lowerKeys(parseJson(await readBody(req, deps.maxBodyBytes)));
    const ops = body['operations'] ?? [];
    if (!Array.isArray(ops)) throw new DaprError(400, 'ERR_MALFORMED_REQUEST', 'transaction body must be {"operations": [...]}');
    if (ops.length > MAX_TRANSACTION_OPERATIONS) {
      throw new DaprError(400, 'ERR_STATE_STORE_TOO_MANY_TRANSACTIONS', `the transaction contains ${ops.length} operations; the limit is ${MAX_TRANSACTION_OPERATIONS}`);
    }
    const shared = { ...(isObject(body['metadata']) ? stringValues(body['metadata']) : {}), ...metadataFromQuery(query) };
    const operations: TransactionOperation[] = ops.map((raw, i) => {
      const op = lowerKeys(raw);
      const kind = op['operation'];
      if (kind !== 'upsert' && kind !== 'delete') {
        throw new DaprError(400, 'ERR_NOT_SUPPORTED_STATE_OPERATION', `operation type ${String(kind)} not supported`);
      }
      const request = toSetRequest(op['request'], i, keys, shared, 'ERR_STATE_TRANSACTION');
      return kind === 'upsert'
        ? { operation: 'upsert', request }
        : { operation: 'delete', request: { key: request.key, etag: request.etag, concurrency: request.concurrency } };
    });
    if (operations.length > 0) {
      try {
        await store.multi(operations);
      } catch (err) {
        throw new DaprError(500, 'ERR_STATE_TRANSACTION', `error while executing state transaction: ${errorMessage(err)}`);
      }
    }
    sendNoContent(res);
  };

  return [
    { methods: ['POST', 'PUT'], path: '/v1.0/state/:storeName', handler: save },
    { methods: ['POST', 'PUT'], path: '/v1.0/state/:storeName/bulk', handler: bulkGet },
    { methods: ['POST', 'PUT'], path: '/v1.0/state/:storeName/transaction', handler: transaction },
    { methods: ['GET'], path: '/v1.0/state/:storeName/:key', handler: get },
    { methods: ['DELETE'], path: '/v1.0/state/:storeName/:key', handler: remove },
  ];
}

/** One item of a save body or a transaction's `request`, matched case-insensitively like Go's decoder. */
function toSetRequest(raw: unknown, index: number, keys: KeyScheme, extraMetadata: Record<string, string>, errorCode: string): SetRequest {
  if (!isObject(raw)) throw new DaprError(400, 'ERR_MALFORMED_REQUEST', `item ${index} must be an object with a key`);
  const item = lowerKeys(raw);
  const key = item['key'];
  if (typeof key !== 'string' || key === '') throw new DaprError(400, 'ERR_MALFORMED_REQUEST', `"key" is a required field (item ${index})`);
  const metadata = { ...extraMetadata, ...(isObject(item['metadata']) ? stringValues(item['metadata']) : {}) };
  const options = isObject(item['options']) ? lowerKeys(item['options']) : {};
  const etag = item['etag'];
  return {
    key: keys.toStoreKey(key),
    value: storedValue(item['value'], index),
    etag: etag === undefined || etag === null ? undefined : String(etag),
    concurrency: concurrencyOf(options['concurrency'] as string | undefined, errorCode),
    ttlSeconds: ttlOf(metadata['ttlInSeconds'], errorCode),
  };
}

function storedValue(value: unknown, index: number): string {
  if (value === undefined) return 'null';
  try {
    return goJson(value);
  } catch (err) {
    // daprd's JSON decoder refuses such a body outright: 400, like any other malformed one.
    if (err instanceof NestingTooDeepError) throw new DaprError(400, 'ERR_MALFORMED_REQUEST', `item ${index}: value ${err.message}`);
    throw err;
  }
}

function concurrencyOf(value: string | undefined, errorCode = 'ERR_STATE_DELETE'): Concurrency {
  if (value === undefined || value === '' || value === 'last-write') return 'last-write';
  if (value === 'first-write') return 'first-write';
  throw new DaprError(500, errorCode, `unrecognized concurrency model '${value}'`);
}

function ttlOf(value: string | undefined, errorCode: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^-?\d+$/.test(value)) throw new DaprError(500, errorCode, `ttlInSeconds must be an integer, got '${value}'`);
  return Number(value);
}

function storeError(err: unknown, errorCode: string, context: string): DaprError {
  if (err instanceof DaprError) return err;
  if (err instanceof EtagMismatchError) return new DaprError(409, errorCode, `${context}: ${err.message}`);
  if (err instanceof EtagInvalidError) return new DaprError(400, errorCode, `${context}: ${err.message}`);
  return new DaprError(500, errorCode, `${context}: ${errorMessage(err)}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function lowerKeys(v: unknown): Record<string, unknown> {
  if (!isObject(v)) return {};
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) out[k.toLowerCase()] = val;
  return out;
}

function stringValues(v: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (val !== undefined && val !== null) out[k] = String(val);
  return out;
}

function asJsonText(stored: string): string {
  try {
    JSON.parse(stored);
    return stored;
  } catch {
    return JSON.stringify(stored);
  }
}

/** RFC 3339 in UTC without fractions, as Go's time.RFC3339 prints it. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
