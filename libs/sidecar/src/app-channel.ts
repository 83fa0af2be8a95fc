import { setTimeout as sleep } from 'node:timers/promises';
import { canConnect } from './tcp-probe';
import { Pool } from './undici-pool';

export interface AppChannelOptions {
  address: string;
  port: number;
  /** APP_API_TOKEN: sent to the app as `dapr-api-token` on every request. */
  appApiToken?: string;
}

/** The sidecar's connection to its app: one keep-alive pool, the app token, and the wait for the app's port. */
export class AppChannel {
  readonly origin: string;
  readonly pool: Pool;

  constructor(private readonly opts: AppChannelOptions) {
    const host = opts.address.includes(':') ? `[${opts.address}]` : opts.address;
    this.origin = `http://${host}:${opts.port}`;
    this.pool = new Pool(this.origin, { keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0 });
  }

  get port(): number {
    return this.opts.port;
  }

  get address(): string {
    return this.opts.address;
  }

  /** Adds (or removes) the app token; a caller's `dapr-api-token` must never reach the app. */
  stampToken(headers: Record<string, string | string[]>): Record<string, string | string[]> {
    if (this.opts.appApiToken) headers['dapr-api-token'] = this.opts.appApiToken;
    else delete headers['dapr-api-token'];
    return headers;
  }

  /** Dials the app's port every 100 ms until it accepts a connection, as daprd does before it calls the app. */
  async waitUntilReachable(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      if (await canConnect(this.opts.address, this.opts.port)) return;
      await sleep(100, undefined, { signal }).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
