import { APPS } from '@repo/contracts';
import { connect } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
// The runner's own test helper starts `sidecar run` exactly as `npm start` does (the same bin, the same flags).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startRunner, type RunnerProcess } from '../../../../libs/sidecar/test/support/runner-process';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { isolatedResources } from '../../../../libs/sidecar/test/support/isolated-resources';

export const WORKSPACE_ROOT = path.resolve(__dirname, '../../../..');

/** The apps these suites run: everything of dapr.yaml but the front (apps/e2e drives that one in a browser). */
export const SYSTEM_APPS = ['svc-a', 'svc-b', 'cart', 'order', 'stock', 'payment'] as const;
export type SystemApp = (typeof SYSTEM_APPS)[number];

/** Set for the run, so the payment-failure case does not depend on payment's default. */
export const PAYMENT_LIMIT = 50_000;

/** Which components the system runs on (the folders `npm start` and `npm start -- --services` use). */
export interface Mode {
  name: string;
  /** The components folder of this mode; the run uses a copy with its own SQLite files and Redis database. */
  components: string;
}

export const MODES = {
  embedded: { name: 'embedded components (components/local: sqlite, in-memory pub/sub)', components: 'components/local' },
  services: { name: 'components/services (Redis state, NATS JetStream pub/sub), as --services', components: 'components/services' },
  snssqs: { name: 'components/services-snssqs (Redis state, SNS/SQS on moto)', components: 'components/services-snssqs' },
} as const satisfies Record<string, Mode>;

const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 30_000;
/** A system another suite (or apps/e2e, or `npm start`) still runs gets this long to go away. */
const PORTS_FREE_TIMEOUT_MS = 60_000;

export interface RunningSystem {
  /** Where the app answers, e.g. http://127.0.0.1:5004. */
  appUrl(app: SystemApp): string;
  /** Where the app's sidecar answers (its DAPR_HTTP_PORT). */
  sidecarUrl(app: SystemApp): string;
  /** Every complete line the app printed so far (the runner prefixes them with the app id). */
  logLines(app: SystemApp): string[];
  /** Stops it like Ctrl-C; resolves with the runner's exit code and everything it printed. */
  stop(): Promise<{ code: number | null; output: string }>;
  /** Whether the runner process still runs. */
  running(): boolean;
}

/**
 * Starts the system as `npm start` does (`sidecar run -f dapr.yaml`), with `--no-build` (the test target's
 * dependsOn built every app), `--only` the six apps and `--exit-on-failure`, on the mode's components; waits
 * until the runner reports every app ready. A failed start stops the runner before it throws.
 */
export async function startSystem(mode: Mode): Promise<RunningSystem> {
  const waitedMs = await portsFree();
  const resources = isolatedResources(path.join(WORKSPACE_ROOT, mode.components));
  const args = ['-f', 'dapr.yaml', '--no-build', '--only', SYSTEM_APPS.join(','), '--exit-on-failure', '--resources-path', resources];
  const runner = startRunner(args, { PAYMENT_LIMIT: String(PAYMENT_LIMIT) }, WORKSPACE_ROOT);
  const system = wrap(runner);
  try {
    const [line] = await runner.waitFor(/(all \d+ apps|\d+ of \d+ apps) ready[^\n]*/, START_TIMEOUT_MS);
    if (!line.startsWith(`all ${SYSTEM_APPS.length} apps`)) throw new Error(`not every app started: "${line}"`);
    // The start-up time, for the run's report (jest shows only each suite's total).
    process.stderr.write(`system-e2e: ${mode.name}: ${line.trim().replace(/:$/, '')}${waitedMs > 1000 ? ` (after ${(waitedMs / 1000).toFixed(1)}s waiting for dapr.yaml's ports)` : ''}\n`);
  } catch (err) {
    const { output } = await system.stop().catch((stopErr: unknown) => ({ output: String(stopErr) }));
    throw new Error(`the system did not start on ${mode.name} (sidecar run ${args.join(' ')}): ${message(err).split('\n')[0]}\n${tail(output)}`);
  }
  return system;
}

function wrap(runner: RunnerProcess): RunningSystem {
  let stopped: Promise<{ code: number | null; output: string }> | undefined;
  return {
    appUrl: (app) => `http://127.0.0.1:${APPS[app].appPort}`,
    sidecarUrl: (app) => `http://127.0.0.1:${APPS[app].daprHttpPort}`,
    logLines: (app) => appLines(runner.output(), app),
    running: () => runner.process.exitCode === null && runner.process.signalCode === null,
    stop: () => (stopped ??= runner.stop('SIGINT', STOP_TIMEOUT_MS).then((code) => ({ code, output: runner.output() }))),
  };
}

/** The runner writes `<app id padded> | <line>` for every line an app prints. */
function appLines(output: string, app: SystemApp): string[] {
  const prefix = new RegExp(`^${app.replace(/-/g, '\\-')} +\\| `);
  const lines = output.split('\n');
  lines.pop(); // the last one may be incomplete
  return lines.filter((l) => prefix.test(l)).map((l) => l.replace(prefix, ''));
}

/** Every port the system listens on: the apps' and their sidecars'. */
export function systemPorts(): { port: number; what: string }[] {
  return SYSTEM_APPS.flatMap((app) => [
    { port: APPS[app].appPort, what: `${app}'s app port` },
    { port: APPS[app].daprHttpPort, what: `${app}'s sidecar port` },
  ]);
}

/** The ports that still accept connections. */
export async function busyPorts(): Promise<{ port: number; what: string }[]> {
  const all = systemPorts();
  const open = await Promise.all(all.map((p) => accepts(p.port)));
  return all.filter((_, i) => open[i]);
}

/** Resolves (with how long it waited) once nothing listens on the system's ports. */
async function portsFree(): Promise<number> {
  const started = Date.now();
  const deadline = started + PORTS_FREE_TIMEOUT_MS;
  for (;;) {
    const busy = await busyPorts();
    if (busy.length === 0) return Date.now() - started;
    if (Date.now() > deadline) {
      throw new Error(
        `dapr.yaml's ports are still in use after ${PORTS_FREE_TIMEOUT_MS / 1000}s (${busy.map((b) => `${b.port}: ${b.what}`).join(', ')}): ` +
          'another system runs (npm start, apps/e2e); stop it first',
      );
    }
    await sleep(500);
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function tail(text: string, lines = 60): string {
  return text.split('\n').slice(-lines).join('\n');
}
