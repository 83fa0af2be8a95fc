/** The state building block: what every state store implements. Keys arrive already prefixed (`appid||key`). */

export type StateFeature = 'ETAG' | 'TRANSACTIONAL' | 'TTL' | 'QUERY_API' | 'ACTOR' | 'DELETE_WITH_PREFIX' | 'KEYS_LIKE';
export type Concurrency = 'first-write' | 'last-write';

export interface StoredState {
  /** The JSON text of the value, exactly as stored. */
  value: string;
  etag: string;
  expireTime?: Date;
}

export interface SetRequest {
  key: string;
  /** JSON text to store. */
  value: string;
  /** Present (even empty) when the caller sent an etag. */
  etag?: string;
  concurrency: Concurrency;
  /** Seconds until expiry; ≤ 0 removes a TTL; undefined leaves the store's default (none for most stores). */
  ttlSeconds?: number;
}

export interface DeleteRequest {
  key: string;
  etag?: string;
  concurrency: Concurrency;
}

export type TransactionOperation = { operation: 'upsert'; request: SetRequest } | { operation: 'delete'; request: DeleteRequest };

export interface StateStore {
  readonly features: ReadonlySet<StateFeature>;
  get(key: string): Promise<StoredState | undefined>;
  bulkGet(keys: string[]): Promise<(StoredState | undefined)[]>;
  set(req: SetRequest): Promise<void>;
  delete(req: DeleteRequest): Promise<void>;
  /** All operations apply in order, or none does. Only stores with TRANSACTIONAL implement it. */
  multi?(ops: TransactionOperation[]): Promise<void>;
  close(): Promise<void>;
}

/** The caller's etag does not match the stored one (or first-write found an existing key): daprd answers 409. */
export class EtagMismatchError extends Error {
  constructor(key: string) {
    super(`possible etag mismatch. error from state store: etag mismatch for key ${key}`);
    this.name = 'EtagMismatchError';
  }
}

/** The etag cannot be an etag of this store (e.g. not a number on Redis): daprd answers 400. */
export class EtagInvalidError extends Error {
  constructor(etag: string) {
    super(`invalid etag value: ${etag}`);
    this.name = 'EtagInvalidError';
  }
}

/**
 * The rule every store applies before a write: a given etag must match, and first-write without an etag
 * only creates. Stores that keep the rule inside the database (Redis's script) do the same check there.
 */
export function checkWrite(key: string, current: StoredState | undefined, etag: string | undefined, concurrency: Concurrency): void {
  if (etag !== undefined && etag !== '') {
    if (!current || current.etag !== etag) throw new EtagMismatchError(key);
  } else if (concurrency === 'first-write' && current) {
    throw new EtagMismatchError(key);
  }
}

export function expiryFrom(ttlSeconds: number | undefined, now = Date.now()): Date | undefined {
  return ttlSeconds !== undefined && ttlSeconds > 0 ? new Date(now + ttlSeconds * 1000) : undefined;
}
