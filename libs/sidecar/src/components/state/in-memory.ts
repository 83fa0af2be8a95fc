import { randomUUID } from 'node:crypto';
import type { ComponentContext } from '../registry';
import {
  checkWrite,
  expiryFrom,
  type DeleteRequest,
  type SetRequest,
  type StateFeature,
  type StateStore,
  type StoredState,
  type TransactionOperation,
} from './state-store';

/** `state.in-memory`: process-local, etag = a UUID per write (as daprd's), TTL, atomic transactions. */
export class InMemoryStateStore implements StateStore {
  readonly features: ReadonlySet<StateFeature> = new Set<StateFeature>(['ETAG', 'TRANSACTIONAL', 'TTL', 'DELETE_WITH_PREFIX', 'KEYS_LIKE', 'ACTOR']);
  private readonly items = new Map<string, StoredState>();
  private readonly sweeper: NodeJS.Timeout;

  constructor() {
    // Expired items are hidden on read; the sweep only gives their memory back.
    this.sweeper = setInterval(() => this.sweep(), 10_000);
    this.sweeper.unref();
  }

  async get(key: string): Promise<StoredState | undefined> {
    return this.live(key);
  }

  async bulkGet(keys: string[]): Promise<(StoredState | undefined)[]> {
    return keys.map((k) => this.live(k));
  }

  async set(req: SetRequest): Promise<void> {
    this.applySet(req);
  }

  async delete(req: DeleteRequest): Promise<void> {
    this.applyDelete(req);
  }

  async multi(ops: TransactionOperation[]): Promise<void> {
    // Check every operation against the state the earlier ones leave, then apply: all or nothing.
    const staged = new Map<string, StoredState | undefined>();
    const current = (key: string) => (staged.has(key) ? staged.get(key) : this.live(key));
    for (const op of ops) {
      const { key, etag, concurrency } = op.request;
      if (op.operation === 'delete') {
        if (etag !== undefined && etag !== '') checkWrite(key, current(key), etag, concurrency);
        staged.set(key, undefined);
      } else {
        checkWrite(key, current(key), etag, concurrency);
        staged.set(key, this.newItem(op.request));
      }
    }
    for (const [key, item] of staged) {
      if (item) this.items.set(key, item);
      else this.items.delete(key);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.items.clear();
  }

  private applySet(req: SetRequest): void {
    checkWrite(req.key, this.live(req.key), req.etag, req.concurrency);
    this.items.set(req.key, this.newItem(req));
  }

  private applyDelete(req: DeleteRequest): void {
    const current = this.live(req.key);
    if (req.etag !== undefined && req.etag !== '') checkWrite(req.key, current, req.etag, req.concurrency);
    this.items.delete(req.key);
  }

  private newItem(req: SetRequest): StoredState {
    return { value: req.value, etag: randomUUID(), expireTime: expiryFrom(req.ttlSeconds) };
  }

  private live(key: string): StoredState | undefined {
    const item = this.items.get(key);
    if (item?.expireTime && item.expireTime.getTime() <= Date.now()) {
      this.items.delete(key);
      return undefined;
    }
    return item;
  }

  private sweep(): void {
    for (const key of this.items.keys()) this.live(key);
  }
}

export function createInMemoryStateStore(_ctx: ComponentContext): StateStore {
  return new InMemoryStateStore();
}
