import type { LogLevel } from '../options';
import { AppRun } from './app-run';
import { buildApps } from './build';
import { Output } from './output';
import type { RunApp } from './run-file';
import { seconds, Status } from './status';

export interface RunOptions {
  apps: RunApp[];
  /** What the header line names (the run file, the resources profile). */
  description: string;
  build: boolean;
  exitOnFailure: boolean;
  sidecarLogLevel: LogLevel;
  readyTimeoutMs: number;
  /** How long an app may take to exit after SIGTERM before its process group gets SIGKILL. */
  stopGraceMs: number;
  out?: Output;
}

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs every app until Ctrl-C (or SIGTERM): build, then each app's sidecar and process, side by side. On a stop
 * it stops the apps first (so their last calls still reach a sidecar), then the sidecars. Returns the exit code.
 */
export async function runApps(opts: RunOptions): Promise<number> {
  const startedAt = Date.now();
  const ids = opts.apps.map((a) => a.appId);
  const out = opts.out ?? new Output(ids);
  const status = new Status(out, ids, startedAt, opts.exitOnFailure);
  const stop = new AbortController();
  let exitCode = 0;
  const requestStop = (code: number, why: string) => {
    if (stop.signal.aborted) return;
    exitCode = code;
    out.info(why);
    stop.abort();
  };

  let runs: AppRun[] = [];
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (!firstSignalAt) {
      firstSignalAt = Date.now();
      return requestStop(0, `${signal}: stopping everything…`);
    }
    // Under `npm start`, one Ctrl-C arrives twice: from the terminal and forwarded by npm. That is not a second one.
    if (Date.now() - firstSignalAt < 1000) return;
    // A second Ctrl-C does not wait: every process group is killed now.
    out.info(`${signal} again: killing everything now`, 'bad');
    for (const run of runs) run.killNow();
    process.exit(130);
  };
  const killAll = () => runs.forEach((run) => run.killNow());
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  // If the runner dies of an error, its apps must not outlive it.
  process.on('exit', killAll);

  try {
    out.info(opts.description);
    if (opts.build) {
      const result = await buildApps(opts.apps.map((a) => a.appDirPath), (what) => out.info(`building: ${what} (Nx reuses cached builds)…`), stop.signal);
      if (result.kind === 'interrupted') return exitCode;
      if (result.kind === 'skipped') out.info(`nothing to build: ${result.reason}`, 'dim');
      if (result.kind === 'built') out.info(`built in ${seconds(result.ms)}`);
      if (result.kind === 'failed') {
        for (const line of result.output) out.info(line, 'dim');
        out.info(`${result.reason}; no app was started (fix the build, or pass --no-build)`, 'bad');
        return 1;
      }
    }

    if (stop.signal.aborted) return exitCode;

    const onFailed = () => {
      if (opts.exitOnFailure) requestStop(1, 'an app failed and --exit-on-failure is set: stopping everything…');
      else if (status.alive() === 0) requestStop(1, 'no app is running any more: stopping…');
    };
    runs = opts.apps.map((app) => new AppRun(app, { out, status, sidecarLogLevel: opts.sidecarLogLevel, readyTimeoutMs: opts.readyTimeoutMs, onFailed }));
    for (const run of runs) void run.start();

    await new Promise<void>((resolve) => (stop.signal.aborted ? resolve() : stop.signal.addEventListener('abort', () => resolve(), { once: true })));
    const stopping = Date.now();
    const gone = await Promise.all(runs.map((run) => run.stopApp(opts.stopGraceMs)));
    await Promise.all(runs.map((run) => run.stopSidecar()));
    const left = gone.every(Boolean) ? 'no app process is left' : 'some app processes could not be stopped (see above)';
    out.info(`stopped in ${seconds(Date.now() - stopping)}; ${left}`, gone.every(Boolean) ? 'plain' : 'bad');
    return exitCode;
  } finally {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
    process.off('exit', killAll);
  }
}
