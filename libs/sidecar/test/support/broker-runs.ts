import { waitFor } from './poll';
import { startSubscriberApp, type Reply, type SubscriberApp } from './pubsub';
import { startSidecar, type SidecarProcess } from './sidecar-process';
import type { RecordedRequest } from './test-app';

/**
 * Runs of many messages through real sidecars, for the end-to-end broker tests: publishing numbered messages
 * through a publisher's sidecar, apps with their sidecars that can be stopped, killed and started again, and
 * bounded waits that say which messages are missing.
 */

/** Every message published here is an event whose data is `{"id": "<id>"}`. */
export function messageIdOf(req: RecordedRequest): string | undefined {
  try {
    const event = JSON.parse(req.body.toString('utf8')) as { data?: { id?: unknown } };
    return typeof event.data?.id === 'string' ? event.data.id : undefined;
  } catch {
    return undefined;
  }
}

/** The distinct message ids delivered to `path` (a redelivery counts once). */
export function idsAt(app: SubscriberApp, path: string): Set<string> {
  const ids = new Set<string>();
  for (const req of app.at(path)) {
    const id = messageIdOf(req);
    if (id !== undefined) ids.add(id);
  }
  return ids;
}

/** Waits until every expected id was received; fails saying how many arrived and which are missing. */
export async function waitForIds(what: string, expected: string[], received: () => Set<string>, timeoutMs: number): Promise<void> {
  try {
    await waitFor(what, () => {
      const got = received();
      return expected.every((id) => got.has(id));
    }, timeoutMs);
  } catch {
    const got = received();
    const missing = expected.filter((id) => !got.has(id));
    const shown = missing.slice(0, 20).join(', ') + (missing.length > 20 ? ', …' : '');
    throw new Error(`${what}: ${expected.length - missing.length} of ${expected.length} arrived within ${timeoutMs} ms; missing ${missing.length}: ${shown}`);
  }
}

export interface PublishOptions {
  /** How long entries the broker refused (a server restarting) are published again; 0: fail at once. */
  retryForMs?: number;
  /** Entries per bulk request, which the sidecar publishes concurrently. */
  chunkSize?: number;
}

/**
 * Publishes `{"id": id}` for every id through a sidecar's bulk publish API, one chunk after the other (daprd's
 * bulk publisher sends a chunk's entries concurrently). Refused entries are published again for `retryForMs`;
 * then it fails naming them.
 */
export async function publishIds(sidecarUrl: string, pubsub: string, topic: string, ids: string[], opts: PublishOptions = {}): Promise<void> {
  const { retryForMs = 0, chunkSize = 100 } = opts;
  for (let i = 0; i < ids.length; i += chunkSize) {
    let pending = ids.slice(i, i + chunkSize);
    const deadline = Date.now() + retryForMs;
    for (;;) {
      const { failed, error } = await bulkPublish(sidecarUrl, pubsub, topic, pending);
      if (failed.length === 0) break;
      if (Date.now() > deadline) throw new Error(`${failed.length} of ${ids.length} messages to ${topic} were not accepted (${failed.slice(0, 5).join(', ')}…): ${error}`);
      pending = failed;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

async function bulkPublish(sidecarUrl: string, pubsub: string, topic: string, ids: string[]): Promise<{ failed: string[]; error: string }> {
  const entries = ids.map((id) => ({ entryId: id, event: { id }, contentType: 'application/json' }));
  let res: Response;
  try {
    res = await fetch(`${sidecarUrl}/v1.0-alpha1/publish/bulk/${pubsub}/${topic}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(entries),
    });
  } catch (err) {
    return { failed: ids, error: String(err) };
  }
  const text = await res.text();
  if (res.status === 204) return { failed: [], error: '' };
  try {
    const body = JSON.parse(text) as { failedEntries?: { entryId: string; error: string }[] };
    if (Array.isArray(body.failedEntries)) return { failed: body.failedEntries.map((e) => e.entryId), error: body.failedEntries[0]?.error ?? text };
  } catch {
    // not daprd's bulk answer: every entry counts as failed
  }
  return { failed: ids, error: `${res.status} ${text}` };
}

export interface AppWithSidecarOptions {
  appId: string;
  resourcesPath: string;
  /** What the app answers on `GET /dapr/subscribe`; undefined: 404 (declarative subscriptions only). */
  subscriptions?: unknown[];
  replies?: Record<string, Reply>;
  /** Extra sidecar flags. */
  args?: string[];
}

/** A subscriber app with its own `sidecar` process, as a pod runs them. */
export interface AppWithSidecar {
  appId: string;
  app: SubscriberApp;
  sidecar: SidecarProcess;
  /** SIGKILLs the sidecar, as a crash would, and starts a new one in front of the same app. */
  killAndRestartSidecar(): Promise<void>;
  /** Stops the sidecar (SIGTERM, graceful) and then the app. */
  stop(): Promise<void>;
}

export async function startAppWithSidecar(opts: AppWithSidecarOptions): Promise<AppWithSidecar> {
  const app = await startSubscriberApp(opts.subscriptions, opts.replies ?? {});
  const launch = () => startSidecar({ appId: opts.appId, appPort: app.port, waitForApp: true, args: ['--resources-path', opts.resourcesPath, ...(opts.args ?? [])] });
  let sidecar: SidecarProcess;
  try {
    sidecar = await launch();
  } catch (err) {
    await app.close();
    throw err;
  }
  const unit: AppWithSidecar = {
    appId: opts.appId,
    app,
    sidecar,
    killAndRestartSidecar: async () => {
      await unit.sidecar.kill();
      unit.sidecar = await launch();
    },
    stop: async () => {
      try {
        await stopWithin(unit.sidecar);
      } finally {
        await app.close();
      }
    },
  };
  return unit;
}

/** A sidecar without an app, which only publishes. */
export async function startPublisher(appId: string, resourcesPath: string): Promise<SidecarProcess> {
  const sidecar = await startSidecar({ appId, args: ['--resources-path', resourcesPath] });
  return { ...sidecar, stop: () => stopWithin(sidecar) };
}

/**
 * SIGTERM, and SIGKILL if the sidecar has not exited well after its graceful period (5 s by default), so a
 * sidecar that hangs on shutdown cannot keep a test's clean-up, and the processes after it, waiting forever.
 */
async function stopWithin(sidecar: SidecarProcess, ms = 15_000): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, ms, 'timeout')));
  const code = await Promise.race([sidecar.stop(), timeout]);
  clearTimeout(timer);
  if (code !== 'timeout') return code;
  await sidecar.kill();
  throw new Error(`sidecar ${sidecar.appId} did not exit within ${ms} ms of SIGTERM; killed it:\n${sidecar.output().slice(-2000)}`);
}
