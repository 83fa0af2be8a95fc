import { Injectable } from '@nestjs/common';
import { HEALTH_ROUTE, type AppName } from '@repo/contracts';
import { DaprClient, type InvokeOptions, type InvokeResponse } from '@repo/nest-dapr';
import { FrontConfig } from '../config';
import type { AppHealthView } from '../web/views';
import { AppNotAnswering } from './app-not-answering';

/** How long a probe's answer is reused, so that many pages polling at once ask each app once. */
const PROBE_REUSE_MS = 1000;
/** Calls to one app that may still be pending past their deadline before further calls fail at once. */
const MAX_OVERDUE_CALLS = 2;

/**
 * The other apps, as the front reaches them: only through its own sidecar's service invocation. A call that
 * cannot reach its app (the sidecar answers ERR_DIRECT_INVOKE, or nothing comes back in time) throws
 * AppNotAnswering; whatever the app itself answered, errors included, is returned as it is.
 */
@Injectable()
export class Upstream {
  private readonly overdue = new Map<AppName, number>();
  private readonly probes = new Map<string, { health: Promise<AppHealthView>; settledAt?: number }>();

  constructor(
    private readonly dapr: DaprClient,
    private readonly config: FrontConfig,
  ) {}

  async invoke(appId: AppName, method: string, options: InvokeOptions & { timeoutMs?: number } = {}): Promise<InvokeResponse> {
    const { timeoutMs = this.config.invokeTimeoutMs, ...invoke } = options;
    // The client cannot cancel a call, so a hung app keeps each call that timed out; past a few, fail at once
    // rather than fill the connection pool to the sidecar (and stall the calls to every other app).
    const waiting = this.overdue.get(appId) ?? 0;
    if (waiting >= MAX_OVERDUE_CALLS) throw new AppNotAnswering(appId, `${waiting} earlier calls are still waiting for an answer`);
    let res: InvokeResponse;
    try {
      res = await this.withDeadline(appId, this.dapr.invoke(appId, method, invoke), timeoutMs);
    } catch (err) {
      throw new AppNotAnswering(appId, err instanceof Error ? err.message : String(err));
    }
    const failure = invocationFailure(res);
    if (failure) throw new AppNotAnswering(appId, failure);
    return res;
  }

  /**
   * The app's health route through invocation. One probe per app at a time, its answer shared for a second:
   * a hung app holds one request, not one per page that asks.
   */
  health(appId: AppName): Promise<AppHealthView> {
    const last = this.probes.get(appId);
    if (last && (last.settledAt === undefined || Date.now() - last.settledAt < PROBE_REUSE_MS)) return last.health;
    const entry: { health: Promise<AppHealthView>; settledAt?: number } = { health: this.probe(appId) };
    this.probes.set(appId, entry);
    void entry.health.then(() => (entry.settledAt = Date.now()));
    return entry.health;
  }

  private async probe(appId: AppName): Promise<AppHealthView> {
    try {
      const res = await this.invoke(appId, HEALTH_ROUTE.slice(1), { timeoutMs: this.config.probeTimeoutMs });
      return res.ok ? { state: 'healthy', detail: `${HEALTH_ROUTE} answered ${res.status}` } : { state: 'unhealthy', detail: `${HEALTH_ROUTE} answered ${res.status}: ${res.text().slice(0, 200)}` };
    } catch (err) {
      return { state: 'not-answering', detail: err instanceof AppNotAnswering ? err.detail : String(err) };
    }
  }

  /** Rejects after `ms`; a call still pending then counts as overdue until it settles. */
  private withDeadline<T>(appId: AppName, work: Promise<T>, ms: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.overdue.set(appId, (this.overdue.get(appId) ?? 0) + 1);
        void work.catch(() => undefined).finally(() => this.overdue.set(appId, (this.overdue.get(appId) ?? 1) - 1));
        reject(new Error(`no answer within ${ms} ms`));
      }, ms);
    });
    return Promise.race([work, late]).finally(() => clearTimeout(timer));
  }
}

/** daprd's answer when it could not reach the target app: `ERR_DIRECT_INVOKE` (the app's own errors pass through). */
function invocationFailure(res: InvokeResponse): string | undefined {
  if (res.ok || !String(res.headers['content-type'] ?? '').includes('json')) return undefined;
  try {
    const body = res.json<{ errorCode?: unknown; message?: unknown }>();
    return body.errorCode === 'ERR_DIRECT_INVOKE' ? String(body.message ?? body.errorCode) : undefined;
  } catch {
    return undefined;
  }
}
