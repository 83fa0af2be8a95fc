import { APPS } from '@repo/contracts';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
// The runner's own test helper starts `sidecar run` exactly as `npm start` does (the same bin, the same flags).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startRunner, type RunnerProcess } from '../../../../libs/sidecar/test/support/runner-process';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { isolatedResources } from '../../../../libs/sidecar/test/support/isolated-resources';
import { RUNNER_LOG, SCREENSHOTS_DIR, WORKSPACE_ROOT } from './paths';
import { restock } from './stock';

const START_TIMEOUT_MS = 180_000;

/**
 * Starts the whole system as `npm start` does (`sidecar run -f dapr.yaml`), on the standard ports, with
 * `--no-build` because the e2e target's `dependsOn` built every app first; waits until the runner reports every
 * app ready; puts the stock the flows use back to known levels. Returns the teardown, which stops it like Ctrl-C.
 * With E2E_BASE_URL set, the flows run against a system that is already running and nothing is started.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  rmSync(SCREENSHOTS_DIR, { recursive: true, force: true });
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  if (process.env['E2E_BASE_URL']) {
    await restock();
    return async () => undefined;
  }

  const log = createWriteStream(RUNNER_LOG);
  // The embedded components, with SQLite files of the run's own: what the flows create stays out of `npm start`.
  const resources = isolatedResources(path.join(WORKSPACE_ROOT, 'components/local'));
  const runner = startRunner(['-f', 'dapr.yaml', '--no-build', '--resources-path', resources], {}, WORKSPACE_ROOT);
  runner.process.stdout!.pipe(log);
  runner.process.stderr!.pipe(log);
  const stop = async () => {
    await runner.stop('SIGINT', 30_000).catch((err: unknown) => log.write(`\n[e2e] ${String(err)}\n`));
    await new Promise((resolve) => log.end(resolve));
  };
  try {
    await allReady(runner);
    await restock();
  } catch (err) {
    await stop();
    throw err;
  }
  return stop;
}

/** The runner prints `all N apps ready` once every app is up, or `K of N apps ready ...; failed: ...`. */
async function allReady(runner: RunnerProcess): Promise<void> {
  const total = Object.keys(APPS).length;
  const [line] = await runner.waitFor(/(all \d+ apps|\d+ of \d+ apps) ready[^\n]*/, START_TIMEOUT_MS).catch((err: unknown) => {
    throw new Error(`the system did not start (full log in ${RUNNER_LOG}):\n${tail(err instanceof Error ? err.message : String(err))}`);
  });
  if (!line.startsWith(`all ${total} apps`)) {
    throw new Error(`not every app started: "${line}" (full log in ${RUNNER_LOG}):\n${tail(runner.output())}`);
  }
}

function tail(text: string, lines = 60): string {
  return text.split('\n').slice(-lines).join('\n');
}
