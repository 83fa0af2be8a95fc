import type { IncomingHttpHeaders } from 'node:http';

export type Concurrency = 'first-write' | 'last-write';
export type Consistency = 'eventual' | 'strong';

/** A value read from a state store, with the etag to send back for an optimistic write. */
export interface StateItem<T> {
  key: string;
  value: T;
  etag: string;
}

/** One entry of a bulk get: `value` and `etag` are absent for a missing key. */
export interface BulkStateItem<T> {
  key: string;
  value?: T;
  etag?: string;
}

export interface StateSaveItem {
  key: string;
  value: unknown;
  /** Write only if the stored etag still matches (StateConflictError otherwise). */
  etag?: string;
  /** `first-write` without an etag creates the key only if it does not exist yet. */
  concurrency?: Concurrency;
  metadata?: Record<string, string>;
}

export type StateOperation =
  | ({ operation: 'upsert' } & StateSaveItem)
  | { operation: 'delete'; key: string; etag?: string; concurrency?: Concurrency };

export interface InvokeOptions {
  httpMethod?: string;
  /** An object is sent as JSON; a string as text; a Buffer as bytes. */
  body?: unknown;
  headers?: Record<string, string>;
  query?: Record<string, string>;
}

/** The target app's answer, passed through as-is (its status is not an error of the sidecar's). */
export interface InvokeResponse {
  status: number;
  ok: boolean;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text(): string;
  json<T>(): T;
}

export interface PublishOptions {
  /** Defaults from the data: JSON for objects, text/plain for strings, octet-stream for Buffers. */
  contentType?: string;
  /** `metadata.*` query values (`rawPayload`, `ttlInSeconds`, broker-specific ones). */
  metadata?: Record<string, string>;
}

/** An update function for `updateState`: the current value (undefined when missing) → the new value. */
export type StateUpdate<T> = (current: T | undefined) => T | Promise<T>;
