import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { ComponentConfigError } from '../../errors';
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

interface Row {
  value: string;
  etag: string;
  expiration_time: string | null;
}

/**
 * `state.sqlite`: a file-backed store that survives restarts. The table has daprd's columns
 * (key, value, is_binary, etag, expiration_time, update_time), so a file written by either can be read by the other.
 */
export class SqliteStateStore implements StateStore {
  readonly features: ReadonlySet<StateFeature> = new Set<StateFeature>(['ETAG', 'TRANSACTIONAL', 'TTL', 'KEYS_LIKE', 'ACTOR']);
  private readonly selectOne: Database.Statement<[string], Row>;
  private readonly upsert: Database.Statement<[string, string, string, string | null]>;
  private readonly remove: Database.Statement<[string]>;
  private readonly sweeper?: NodeJS.Timeout;

  constructor(
    private readonly db: Database.Database,
    tableName: string,
    cleanupIntervalMs: number,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS "${tableName}" (
      key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL, is_binary BOOLEAN NOT NULL DEFAULT FALSE,
      etag TEXT NOT NULL, expiration_time TIMESTAMP NULL, update_time TIMESTAMP NULL)`);
    this.selectOne = db.prepare(
      `SELECT value, etag, expiration_time FROM "${tableName}" WHERE key = ? AND (expiration_time IS NULL OR expiration_time > strftime('%Y-%m-%dT%H:%M:%fZ','now'))`,
    );
    this.upsert = db.prepare(
      `INSERT INTO "${tableName}" (key, value, is_binary, etag, expiration_time, update_time) VALUES (?, ?, FALSE, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, etag = excluded.etag, expiration_time = excluded.expiration_time, update_time = excluded.update_time`,
    );
    this.remove = db.prepare(`DELETE FROM "${tableName}" WHERE key = ?`);
    if (cleanupIntervalMs > 0) {
      const sweep = db.prepare(`DELETE FROM "${tableName}" WHERE expiration_time IS NOT NULL AND expiration_time <= strftime('%Y-%m-%dT%H:%M:%fZ','now')`);
      this.sweeper = setInterval(() => sweep.run(), cleanupIntervalMs);
      this.sweeper.unref();
    }
  }

  async get(key: string): Promise<StoredState | undefined> {
    return this.read(key);
  }

  async bulkGet(keys: string[]): Promise<(StoredState | undefined)[]> {
    return keys.map((k) => this.read(k));
  }

  async set(req: SetRequest): Promise<void> {
    this.db.transaction(() => this.applySet(req)).immediate();
  }

  async delete(req: DeleteRequest): Promise<void> {
    this.db.transaction(() => this.applyDelete(req)).immediate();
  }

  async multi(ops: TransactionOperation[]): Promise<void> {
    this.db
      .transaction(() => {
        for (const op of ops) {
          if (op.operation === 'upsert') this.applySet(op.request);
          else this.applyDelete(op.request);
        }
      })
      .immediate();
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.db.close();
  }

  private read(key: string): StoredState | undefined {
    const row = this.selectOne.get(key);
    if (!row) return undefined;
    return { value: row.value, etag: row.etag, expireTime: row.expiration_time ? new Date(row.expiration_time) : undefined };
  }

  private applySet(req: SetRequest): void {
    checkWrite(req.key, this.read(req.key), req.etag, req.concurrency);
    this.upsert.run(req.key, req.value, randomUUID(), expiryFrom(req.ttlSeconds)?.toISOString() ?? null);
  }

  private applyDelete(req: DeleteRequest): void {
    if (req.etag !== undefined && req.etag !== '') checkWrite(req.key, this.read(req.key), req.etag, req.concurrency);
    this.remove.run(req.key);
  }
}

export async function createSqliteStateStore(ctx: ComponentContext): Promise<StateStore> {
  const md = ctx.metadata;
  const connectionString = md.required('connectionString');
  const tableName = md.string('tableName', 'state')!;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(tableName)) throw new ComponentConfigError(ctx.name, `tableName '${tableName}' must be a plain SQL identifier`);
  const busyTimeoutMs = md.durationMs('busyTimeout', 2000);
  const cleanupIntervalMs = md.durationMs('cleanupInterval', 60_000);
  const disableWAL = md.bool('disableWAL', false);

  const file = connectionString.replace(/^file:/, '').replace(/\?.*$/, '');
  const { default: BetterSqlite3 } = await import('better-sqlite3');
  if (file !== ':memory:' && file !== '') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new BetterSqlite3(file === '' ? ':memory:' : file, { timeout: busyTimeoutMs });
  if (!disableWAL && file !== ':memory:') db.pragma('journal_mode = WAL');
  return new SqliteStateStore(db, tableName, cleanupIntervalMs);
}
