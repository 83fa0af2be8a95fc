import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiErrorFrom, SidecarUnavailableError, StateConflictError } from './errors';
import { headerValue, segment, SidecarHttp, type SidecarRequest, type SidecarResponse } from './http';
import { DAPR_CLIENT_OPTIONS } from './tokens';
import type { DaprClientOptions } from './options';
import type {
  BulkStateItem,
  Consistency,
  Concurrency,
  InvokeOptions,
  InvokeResponse,
  PublishOptions,
  StateItem,
  StateOperation,
  StateSaveItem,
  StateUpdate,
} from './types';

const HEALTH_POLL_MS = 100;

/**
 * The app's way to its sidecar: service invocation, state (with etags), publish and secrets over Dapr's HTTP
 * API. Calls wait until the sidecar's outbound health answers, so an app can start before its sidecar.
 */
@Injectable()
export class DaprClient implements OnApplicationShutdown {
  private readonly logger = new Logger('DaprClient');
  private readonly http: SidecarHttp;
  private ready?: Promise<void>;
  private reachable = false;

  constructor(@Inject(DAPR_CLIENT_OPTIONS) private readonly options: DaprClientOptions) {
    this.http = new SidecarHttp(`http://${options.host}:${options.httpPort}`, options.apiToken);
  }

  /** The sidecar's address, for logs. */
  get sidecarUrl(): string {
    return this.http.origin;
  }

  /** True once the sidecar's `/v1.0/healthz/outbound` answered 204. */
  isReady(): boolean {
    return this.reachable;
  }

  /** Resolves once the sidecar's outbound health answers (components loaded, API up); starts polling on first use. */
  whenReady(): Promise<void> {
    this.ready ??= this.waitForSidecar().catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  async invoke(appId: string, method: string, options: InvokeOptions = {}): Promise<InvokeResponse> {
    const { body, contentType } = encodeBody(options.body);
    const res = await this.call({
      method: options.httpMethod ?? 'GET',
      path: `/v1.0/invoke/${segment(appId)}/method/${method.split('/').map(segment).join('/')}`,
      query: options.query,
      headers: options.headers,
      body,
      contentType: options.headers?.['content-type'] ? undefined : contentType,
    });
    return {
      status: res.status,
      ok: res.status >= 200 && res.status < 300,
      headers: res.headers,
      body: res.body,
      text: () => res.body.toString('utf8'),
      json: <T>() => JSON.parse(res.body.toString('utf8')) as T,
    };
  }

  async getState<T>(storeName: string, key: string, options: { consistency?: Consistency; metadata?: Record<string, string> } = {}): Promise<StateItem<T> | undefined> {
    const res = await this.call({
      method: 'GET',
      path: `/v1.0/state/${segment(storeName)}/${segment(key)}`,
      query: { consistency: options.consistency, ...metadataQuery(options.metadata) },
    });
    this.expect(res, [200, 204], `get state ${storeName}/${key}`);
    // daprd answers 204 with no body for a missing key.
    if (res.status === 204 || res.body.length === 0) return undefined;
    return { key, value: JSON.parse(res.body.toString('utf8')) as T, etag: headerValue(res.headers, 'etag') ?? '' };
  }

  async getBulkState<T>(storeName: string, keys: string[]): Promise<BulkStateItem<T>[]> {
    if (keys.length === 0) return [];
    const res = await this.call({
      method: 'POST',
      path: `/v1.0/state/${segment(storeName)}/bulk`,
      body: JSON.stringify({ keys }),
      contentType: 'application/json',
    });
    this.expect(res, [200], `bulk get state ${storeName}`);
    const items = JSON.parse(res.body.toString('utf8')) as { key: string; data?: T; etag?: string; error?: string }[];
    return items.map((item) => {
      if (item.error) throw new Error(`bulk get state ${storeName}/${item.key}: ${item.error}`);
      return item.etag === undefined ? { key: item.key } : { key: item.key, value: item.data as T, etag: item.etag };
    });
  }

  /** Saves items; a stale etag (or first-write on an existing key) throws StateConflictError. */
  async saveState(storeName: string, items: StateSaveItem[]): Promise<void> {
    const res = await this.call({
      method: 'POST',
      path: `/v1.0/state/${segment(storeName)}`,
      body: JSON.stringify(items.map(toSaveRequest)),
      contentType: 'application/json',
    });
    this.expect(res, [204, 200], `save state ${storeName}`);
  }

  async deleteState(storeName: string, key: string, options: { etag?: string; concurrency?: Concurrency } = {}): Promise<void> {
    const res = await this.call({
      method: 'DELETE',
      path: `/v1.0/state/${segment(storeName)}/${segment(key)}`,
      query: { concurrency: options.concurrency },
      headers: options.etag !== undefined ? { 'if-match': options.etag } : undefined,
    });
    this.expect(res, [204, 200], `delete state ${storeName}/${key}`);
  }

  /** Applies every operation or none; any stale etag throws StateConflictError. */
  async transaction(storeName: string, operations: StateOperation[]): Promise<void> {
    const res = await this.call({
      method: 'POST',
      path: `/v1.0/state/${segment(storeName)}/transaction`,
      body: JSON.stringify({
        operations: operations.map((op) =>
          op.operation === 'upsert'
            ? { operation: 'upsert', request: toSaveRequest(op) }
            : { operation: 'delete', request: { key: op.key, etag: op.etag, options: op.concurrency ? { concurrency: op.concurrency } : undefined } },
        ),
      }),
      contentType: 'application/json',
    });
    this.expect(res, [204, 200], `state transaction on ${storeName}`);
  }

  /**
   * Optimistic read-modify-write of one key: reads the value and its etag, applies `update`, writes with that etag
   * (first-write when the key was missing) and starts over when another writer got there first.
   */
  async updateState<T>(storeName: string, key: string, update: StateUpdate<T>, options: { maxAttempts?: number } = {}): Promise<T> {
    return withConflictRetry(async () => {
      const current = await this.getState<T>(storeName, key);
      const next = await update(current?.value);
      await this.saveState(storeName, [current ? { key, value: next, etag: current.etag } : { key, value: next, concurrency: 'first-write' }]);
      return next;
    }, options.maxAttempts);
  }

  async publish(pubsubName: string, topic: string, data: unknown, options: PublishOptions = {}): Promise<void> {
    const { body, contentType } = encodeBody(data);
    const res = await this.call({
      method: 'POST',
      path: `/v1.0/publish/${segment(pubsubName)}/${topic.split('/').map(segment).join('/')}`,
      query: metadataQuery(options.metadata),
      body,
      contentType: options.contentType ?? contentType,
    });
    this.expect(res, [204, 200], `publish to ${pubsubName}/${topic}`);
  }

  async getSecret(storeName: string, name: string, metadata?: Record<string, string>): Promise<Record<string, string>> {
    const res = await this.call({ method: 'GET', path: `/v1.0/secrets/${segment(storeName)}/${segment(name)}`, query: metadataQuery(metadata) });
    this.expect(res, [200, 204], `get secret ${name} from ${storeName}`);
    return res.status === 204 ? {} : (JSON.parse(res.body.toString('utf8')) as Record<string, string>);
  }

  async getBulkSecret(storeName: string): Promise<Record<string, Record<string, string>>> {
    const res = await this.call({ method: 'GET', path: `/v1.0/secrets/${segment(storeName)}/bulk` });
    this.expect(res, [200, 204], `get secrets from ${storeName}`);
    return res.status === 204 ? {} : (JSON.parse(res.body.toString('utf8')) as Record<string, Record<string, string>>);
  }

  /** The sidecar's `GET /v1.0/metadata`: app id, components, subscriptions, runtime version. */
  async getMetadata(): Promise<Record<string, unknown>> {
    const res = await this.call({ method: 'GET', path: '/v1.0/metadata' });
    this.expect(res, [200], 'get metadata');
    return JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.http.close();
  }

  private async call(req: SidecarRequest): Promise<SidecarResponse> {
    await this.whenReady();
    return this.http.request(req);
  }

  private expect(res: SidecarResponse, statuses: number[], what: string): void {
    if (!statuses.includes(res.status)) throw apiErrorFrom(res.status, res.body, what);
  }

  private async waitForSidecar(): Promise<void> {
    const deadline = Date.now() + this.options.sidecarTimeoutMs;
    let announced = false;
    for (;;) {
      try {
        const res = await this.http.request({ method: 'GET', path: '/v1.0/healthz/outbound', headersTimeoutMs: 2_000 });
        if (res.status === 204) break;
      } catch {
        // Not listening yet: the sidecar may start after the app.
      }
      if (!announced) {
        this.logger.log(`waiting for the Dapr sidecar on ${this.http.origin}`);
        announced = true;
      }
      if (Date.now() > deadline) {
        throw new SidecarUnavailableError(`the Dapr sidecar on ${this.http.origin} did not become ready within ${this.options.sidecarTimeoutMs} ms`);
      }
      await sleep(HEALTH_POLL_MS);
    }
    this.reachable = true;
    this.logger.log(`Dapr sidecar ready on ${this.http.origin}`);
  }
}

/** Runs `attempt` again when it lost an optimistic-concurrency race, with a short random back-off. */
export async function withConflictRetry<T>(attempt: () => Promise<T>, maxAttempts = 50): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof StateConflictError) || n >= maxAttempts) throw err;
      // Spread the retries so that writers racing on one key do not collide again in lockstep.
      await sleep(Math.floor(Math.random() * Math.min(5 * n, 50)));
    }
  }
}

function toSaveRequest(item: StateSaveItem): Record<string, unknown> {
  return {
    key: item.key,
    value: item.value,
    ...(item.etag !== undefined ? { etag: item.etag } : {}),
    ...(item.concurrency ? { options: { concurrency: item.concurrency } } : {}),
    ...(item.metadata ? { metadata: item.metadata } : {}),
  };
}

function metadataQuery(metadata: Record<string, string> | undefined): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata ?? {})) query[`metadata.${k}`] = v;
  return query;
}

/** How the SDKs send data: Buffers as bytes, strings as text, everything else as JSON. */
function encodeBody(data: unknown): { body?: string | Buffer; contentType?: string } {
  if (data === undefined) return {};
  if (Buffer.isBuffer(data)) return { body: data, contentType: 'application/octet-stream' };
  if (typeof data === 'string') return { body: data, contentType: 'text/plain' };
  return { body: JSON.stringify(data), contentType: 'application/json' };
}
