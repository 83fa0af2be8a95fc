import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from './ports';
import { waitFor } from './poll';

/** A `redis-server` of a test's own on a free loopback port, without persistence, that the test may stop and restart. */
export interface OwnRedisServer {
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** A plain client for checks (pass the server's password when it has one). */
  client(options?: { password?: string; db?: number }): Redis;
}

/** `extraArgs` go to redis-server as they are, e.g. `['--requirepass', 'pw']` or the `--tls-*` options. */
export async function startRedisServer(extraArgs: string[] = [], opts: { plainPort?: boolean } = {}): Promise<OwnRedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  let output = '';

  const portArgs = opts.plainPort === false ? ['--port', '0', '--tls-port', String(port)] : ['--port', String(port)];
  const start = async () => {
    output = '';
    child = spawn('redis-server', [...portArgs, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', ...extraArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const started = child;
    await waitFor(`redis-server on port ${port}`, () => {
      if (started.exitCode !== null) throw new Error(`redis-server exited with ${started.exitCode}: ${output}`);
      return /Ready to accept connections/.test(output);
    });
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };

  await start();
  return {
    port,
    stop,
    start,
    client: (options = {}) => new Redis({ host: '127.0.0.1', port, ...options, maxRetriesPerRequest: 1 }),
  };
}
