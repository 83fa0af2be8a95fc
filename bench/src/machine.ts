import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { connect } from 'nats';
import { ROOT } from './procs/processes';
import { REDIS } from './sections/state';
import { NATS_URL } from './sections/publish';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  kernel: string;
  node: string;
  /** 1-minute load average over the run (sampled every 5 s): other work on the same cores shows here. */
  loadAverage: { start: number; mean?: number; max?: number; end?: number };
  versions: Record<string, string>;
}

export async function describeMachine(): Promise<Machine> {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverage: { start: os.loadavg()[0]! },
    versions: {
      sidecar: packageVersion('libs/sidecar/package.json'),
      undici: packageVersion('node_modules/undici/package.json'),
      ioredis: packageVersion('node_modules/ioredis/package.json'),
      'nats.js': packageVersion('node_modules/nats/package.json'),
      'hdr-histogram-js': packageVersion('node_modules/hdr-histogram-js/package.json'),
      'redis-server': await redisVersion(),
      'nats-server': await natsVersion(),
    },
  };
}

function packageVersion(file: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function redisVersion(): Promise<string> {
  const client = new Redis({ ...REDIS, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await client.connect();
    return /redis_version:(\S+)/.exec(await client.info('server'))?.[1] ?? 'unknown';
  } catch (err) {
    return `not reachable (${err instanceof Error ? err.message : String(err)})`;
  } finally {
    client.disconnect();
  }
}

async function natsVersion(): Promise<string> {
  try {
    const nc = await connect({ servers: NATS_URL, reconnect: false });
    const version = nc.info?.version ?? 'unknown';
    const jetstream = nc.info?.jetstream ? 'JetStream on' : 'JetStream off';
    await nc.close();
    return `${version} (${jetstream})`;
  } catch (err) {
    return `not reachable (${err instanceof Error ? err.message : String(err)})`;
  }
}
