import { request } from 'node:http';
import path from 'node:path';
import { canConnect } from '../tcp-probe';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorMessage } from '../errors';
import type { LogLevel } from '../options';
import { createSidecar, type Sidecar } from '../sidecar';
import type { Output } from './output';
import type { RunApp } from './run-file';
import type { Status } from './status';
import { AppProcess, describeExit, type AppExit } from './supervisor';

export interface AppRunDeps {
  out: Output;
  status: Status;
  /** The sidecars' log level; their info lines would drown the apps' own. */
  sidecarLogLevel: LogLevel;
  readyTimeoutMs: number;
  /** Called after the app was reported failed. */
  onFailed: () => void;
}

class Failure extends Error {}

/**
 * One app of the run: its sidecar, in this process (so in-memory components are shared by all apps), then its
 * process, then the wait until it is ready. A failure is reported once, with the app's last lines, and stops
 * that app's process group and sidecar; the other apps are not touched.
 */
export class AppRun {
  private sidecar?: Sidecar;
  private process?: AppProcess;
  private readonly cancel = new AbortController();
  private settled: 'failed' | 'stopping' | undefined;
  private startedAt = 0;
  /** What the app is waiting for, for the message when it is not ready in time. */
  private progress = 'it has not started';

  constructor(
    readonly app: RunApp,
    private readonly deps: AppRunDeps,
  ) {}

  async start(): Promise<void> {
    const { app } = this;
    this.startedAt = Date.now();
    // One deadline for the whole start: a sidecar stuck on a component counts as much as a silent app.
    const deadline = setTimeout(() => {
      void this.fail(`not ready after ${Math.round(this.deps.readyTimeoutMs / 1000)}s: ${this.progress}`, this.process?.lastLines() ?? []);
    }, this.deps.readyTimeoutMs);
    try {
      if (app.appPort !== undefined && (await canConnect(app.appChannelAddress, app.appPort))) {
        throw new Failure(`app port ${app.appPort} is already in use by another process; stop it or change appPort`);
      }
      this.sidecar = createSidecar({
        appId: app.appId,
        appPort: app.appPort,
        appChannelAddress: app.appChannelAddress,
        daprHttpPort: app.daprHttpPort ?? 0,
        daprInternalPort: app.daprInternalPort,
        resourcesPaths: app.resourcesPaths,
        configPath: app.configPath,
        logLevel: app.logLevel ?? this.deps.sidecarLogLevel,
        enableApiLogging: app.enableApiLogging,
        maxBodyBytes: app.maxBodyBytes,
        readBufferBytes: app.readBufferBytes,
        apiToken: this.env()['DAPR_API_TOKEN'] || undefined,
        appApiToken: this.env()['APP_API_TOKEN'] || undefined,
        namespace: this.env()['NAMESPACE'] || undefined,
      });
      this.progress = 'its sidecar is still loading its components';
      const sidecarStarted = this.sidecar.start().catch((err: unknown) => {
        throw new Failure(`its sidecar did not start: ${errorMessage(err)}`);
      });
      await Promise.race([sidecarStarted, aborted(this.cancel.signal)]);
      const ports = `${app.appPort ? `app port ${app.appPort}, ` : ''}sidecar port ${this.sidecar.httpPort}`;
      if (app.command) {
        this.process = new AppProcess({
          appId: app.appId,
          command: app.command,
          cwd: app.appDirPath,
          env: this.appEnv(this.sidecar.httpPort),
          onLine: (line) => this.deps.out.app(app.appId, line),
        });
        void this.process.exited.then((exit) => this.onExit(exit));
        this.deps.status.starting(app.appId, `${app.command.join(' ')} in ${shortPath(app.appDirPath)}; ${ports}`);
      } else {
        this.deps.status.starting(app.appId, `no command: only its sidecar runs; ${ports}`);
      }
      await this.waitUntilReady();
      if (this.settled) return;
      this.deps.status.ready(app.appId, this.urls(), Date.now() - this.startedAt);
    } catch (err) {
      if (this.settled) return;
      await this.fail(err instanceof Failure ? err.message : `could not start: ${errorMessage(err)}`, this.process?.lastLines() ?? []);
    } finally {
      clearTimeout(deadline);
    }
  }

  /** First half of a shutdown: the app and everything it started. Resolves false if some of it survived SIGKILL. */
  async stopApp(graceMs: number): Promise<boolean> {
    this.settled ??= 'stopping';
    this.cancel.abort();
    const result = await this.process?.stop(graceMs);
    if (result === 'killed') this.deps.out.info(`${this.deps.out.name(this.app.appId)} ignored SIGTERM for ${graceMs / 1000}s and was killed`);
    if (result === 'survived') this.deps.out.info(`${this.deps.out.name(this.app.appId)}: process group ${this.process?.pid} survived SIGKILL`, 'bad');
    return result !== 'survived';
  }

  /** Second half: the sidecar, once no app can call it any more. */
  async stopSidecar(): Promise<void> {
    await this.sidecar?.stop().catch(() => undefined);
    if (this.deps.status.state(this.app.appId) !== 'failed') this.deps.status.stopped(this.app.appId);
  }

  /** The runner is exiting right now (second Ctrl-C, crash): kill the process group without waiting. */
  killNow(): void {
    this.process?.killNow();
  }

  private async onExit(exit: AppExit): Promise<void> {
    if (this.settled) return;
    await this.fail(describeExit(exit, this.app.command ?? []), this.process?.lastLines() ?? []);
  }

  private async fail(why: string, lastLines: string[]): Promise<void> {
    if (this.settled) return;
    this.settled = 'failed';
    this.cancel.abort();
    // Whatever the app left running in its group, and its sidecar, go with it: a failed app holds no ports.
    await this.process?.stop(2000);
    await this.sidecar?.stop().catch(() => undefined);
    this.deps.status.failed(this.app.appId, why, lastLines);
    this.deps.onFailed();
  }

  /** The sidecar answers once the app's port accepts connections; then the app's health path, when it has one. */
  private async waitUntilReady(): Promise<void> {
    const { app } = this;
    const signal = this.cancel.signal;
    this.progress = app.appPort ? `its port ${app.appPort} does not accept connections` : 'its sidecar is not ready';
    await Promise.race([this.sidecar!.whenReady(), aborted(signal)]);
    if (!app.appPort || !app.appHealthCheckPath) return;
    this.progress = `GET ${app.appHealthCheckPath} did not answer`;
    while (!signal.aborted) {
      const answer = await probe(app.appChannelAddress, app.appPort, app.appHealthCheckPath);
      if (typeof answer === 'number' && answer >= 200 && answer < 300) return;
      this.progress = typeof answer === 'number' ? `GET ${app.appHealthCheckPath} answered ${answer}` : `GET ${app.appHealthCheckPath}: ${answer}`;
      await sleep(250, undefined, { signal }).catch(() => undefined);
    }
  }

  private env(): Record<string, string | undefined> {
    return { ...process.env, ...this.app.env };
  }

  /**
   * What `dapr run` gives an app: APP_ID, APP_PORT, DAPR_HTTP_PORT, APP_PROTOCOL, then the run file's env, which
   * may override them (as with the Dapr CLI). PORT is the appPort too, for frameworks that read PORT.
   */
  private appEnv(daprHttpPort: number): NodeJS.ProcessEnv {
    const { app } = this;
    const ports = app.appPort ? { PORT: String(app.appPort), APP_PORT: String(app.appPort) } : {};
    return { ...process.env, ...ports, APP_ID: app.appId, DAPR_HTTP_PORT: String(daprHttpPort), APP_PROTOCOL: 'http', ...app.env };
  }

  private urls(): { app?: string; sidecar: string } {
    const host = this.app.appChannelAddress.includes(':') ? `[${this.app.appChannelAddress}]` : this.app.appChannelAddress;
    return {
      app: this.app.appPort ? `http://${host}:${this.app.appPort}` : undefined,
      sidecar: `http://127.0.0.1:${this.sidecar!.httpPort}`,
    };
  }
}

/** Relative to the working directory when inside it, absolute otherwise. */
function shortPath(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? dir : relative;
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(new Failure('stopped'));
    signal.addEventListener('abort', () => reject(new Failure('stopped')), { once: true });
  });
}

/** One GET without keep-alive, so the runner holds no connection the app has to wait for on shutdown. */
function probe(host: string, port: number, path: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request({ host, port, path, method: 'GET', agent: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('timeout', () => req.destroy(new Error('no answer within 2s')));
    req.once('error', (err) => resolve(errorMessage(err)));
    req.end();
  });
}
