import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports';

const BIN = path.resolve(__dirname, '../../bin/sidecar.js');

export interface SidecarProcess {
  appId: string;
  httpPort: number;
  url: string;
  process: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, then wait for exit; returns the exit code. */
  stop(): Promise<number | null>;
  kill(): Promise<void>;
}

export interface StartOptions {
  appId: string;
  appPort?: number;
  /** YAML text per file name, written to a fresh resources directory. */
  resources?: Record<string, string>;
  /** Extra command-line flags. */
  args?: string[];
  env?: Record<string, string>;
  /** Shared by sidecars that must find each other; defaults to a fresh directory. */
  registryDir?: string;
  /** Wait for /v1.0/healthz (app reachable) instead of /v1.0/healthz/outbound. */
  waitForApp?: boolean;
}

export function writeResources(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sidecar-resources-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

export function newRegistryDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'sidecar-registry-'));
}

/**
 * Starts the real `sidecar` command and waits until it answers health checks. A port found free can be taken by
 * another test's connection before the sidecar binds it; then the start is tried again on another port.
 */
export async function startSidecar(opts: StartOptions): Promise<SidecarProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts, await freePort());
    } catch (err) {
      if (attempt >= 5 || !String(err).includes('EADDRINUSE')) throw err;
    }
  }
}

async function startOnce(opts: StartOptions, httpPort: number): Promise<SidecarProcess> {
  const args = ['--app-id', opts.appId, '--dapr-http-port', String(httpPort), '--log-level', 'warn'];
  if (opts.appPort !== undefined) args.push('--app-port', String(opts.appPort));
  if (opts.resources) args.push('--resources-path', writeResources(opts.resources));
  args.push(...(opts.args ?? []));
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, SIDECAR_REGISTRY_DIR: opts.registryDir ?? newRegistryDir(), ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${httpPort}`;
  const healthPath = opts.waitForApp ? '/v1.0/healthz' : '/v1.0/healthz/outbound';
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sidecar ${opts.appId} exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(url + healthPath);
      if (res.status === 204) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`sidecar ${opts.appId} did not become healthy:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    appId: opts.appId,
    httpPort,
    url,
    process: child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Runs the `sidecar` command to completion (for flag and resource errors). */
export function runSidecarCommand(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), 10_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
