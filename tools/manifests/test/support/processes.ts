import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';

export interface RunningProcess {
  process: ChildProcess;
  output(): string;
  /** SIGTERM, then SIGKILL after a grace period; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export function startProcess(command: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): RunningProcess {
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    process: child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        const code = await exited;
        clearTimeout(timer);
        return code;
      }
      return exited;
    },
  };
}

/** Runs a command to completion. */
export function runProcess(command: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number | null; output: string }> {
  const p = startProcess(command, args, opts);
  const timer = setTimeout(() => void p.stop(), 30_000);
  return new Promise((resolve) =>
    p.process.once('exit', (code) => {
      clearTimeout(timer);
      // Let the pipes drain before reading the output.
      setImmediate(() => resolve({ code, output: p.output() }));
    }),
  );
}

/** Polls until `check` resolves true, or fails with what it waited for (no fixed sleeps). */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20_000, onTimeout: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${onTimeout()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function httpStatus(url: string): Promise<number> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await res.arrayBuffer();
  return res.status;
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** An app stand-in for the sidecar: answers 200 to everything and lists no programmatic subscriptions. */
export async function startStubApp(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end(req.url === '/dapr/subscribe' ? '[]' : '{}');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}
