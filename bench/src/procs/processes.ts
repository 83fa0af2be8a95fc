import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = path.resolve(__dirname, '../../..');
/** The sidecar under test; BENCH_SIDECAR_BIN points at another build of it, to measure a change before and after. */
export const SIDECAR_BIN = process.env['BENCH_SIDECAR_BIN'] ?? path.join(ROOT, 'libs/sidecar/bin/sidecar.js');

export interface Proc {
  name: string;
  pid: number;
  child: ChildProcess;
  output(): string;
  /** SIGTERM, then SIGKILL after 8 s; resolves on exit. */
  stop(): Promise<void>;
}

const running = new Set<Proc>();

/** Every process the bench started, stopped on the way out, whatever happened. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

export function startProcess(name: string, args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const proc: Proc = {
    name,
    pid: child.pid!,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
        await exited;
        clearTimeout(timer);
      }
      running.delete(proc);
    },
  };
  running.add(proc);
  return proc;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** One GET on a fresh connection; the status, or undefined when nothing answers. */
export function probe(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.once('error', () => resolve(undefined));
    req.once('timeout', () => req.destroy());
    req.end();
  });
}

/** Polls until `url` answers with `status` (any status when omitted); throws with the process's output otherwise. */
export async function waitForHttp(proc: Proc, url: string, status?: number, timeoutMs = 20_000, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited with ${proc.child.exitCode}:\n${proc.output()}`);
    const got = await probe(url);
    if (got !== undefined && (status === undefined || got === status)) return;
    if (Date.now() > deadline) throw new Error(`${proc.name} did not answer ${url} with ${status ?? 'anything'} in ${timeoutMs} ms:\n${proc.output()}`);
    await sleep(everyMs);
  }
}

export interface SidecarSpec {
  appId: string;
  appPort?: number;
  /** The API port; a free one when omitted. */
  daprHttpPort?: number;
  resourcesDir?: string;
  registryDir: string;
  /** Node flags before the script, e.g. --cpu-prof. */
  nodeArgs?: string[];
  env?: Record<string, string>;
  /** How long to wait for health (default 20 s). */
  timeoutMs?: number;
}

export interface SidecarProc extends Proc {
  url: string;
}

/** The real `sidecar` command; waits for /v1.0/healthz (with an app) or /v1.0/healthz/outbound. */
export async function startSidecar(spec: SidecarSpec): Promise<SidecarProc> {
  const port = spec.daprHttpPort ?? (await freePort());
  const args = [...(spec.nodeArgs ?? []), SIDECAR_BIN, '--app-id', spec.appId, '--dapr-http-port', String(port), '--log-level', 'warn'];
  if (spec.appPort !== undefined) args.push('--app-port', String(spec.appPort));
  if (spec.resourcesDir) args.push('--resources-path', spec.resourcesDir);
  const proc = startProcess(`sidecar ${spec.appId}`, args, { SIDECAR_REGISTRY_DIR: spec.registryDir, ...spec.env });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(proc, `${url}/v1.0/healthz${spec.appPort !== undefined ? '' : '/outbound'}`, 204, spec.timeoutMs);
  return Object.assign(proc, { url });
}

export const SCRIPTS = {
  targetApp: path.join(__dirname, 'target-app.js'),
  bareProxy: path.join(__dirname, 'bare-proxy.js'),
};

export async function startTargetApp(env: Record<string, string> = {}): Promise<Proc & { port: number; url: string }> {
  const port = await freePort();
  const proc = startProcess('target app', [SCRIPTS.targetApp], { PORT: String(port), ...env });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(proc, `${url}/stats`, 200);
  return Object.assign(proc, { port, url });
}

export async function startBareProxy(target: string, nodeArgs: string[] = []): Promise<Proc & { url: string }> {
  const port = await freePort();
  const proc = startProcess('bare proxy', [...nodeArgs, SCRIPTS.bareProxy], { PORT: String(port), TARGET: target });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(proc, url);
  return Object.assign(proc, { url });
}
