import path from 'node:path';
import { component, jsonPayload, profileArgs, writeResources, type BenchContext } from '../context';
import { measurePaths, type Measured } from '../load/measure';
import { startSidecar, startTargetApp } from '../procs/processes';

export const REDIS = { host: '127.0.0.1', port: 6379 };

export interface StateResults {
  valueBytes: number;
  get: { sidecarRedis: Measured; directRedis: Measured; sidecarInMemory: Measured; bareHttp: Measured };
  save: { sidecarRedis: Measured; directRedis: Measured; sidecarInMemory: Measured };
}

/**
 * State get and save through the sidecar (state.redis and state.in-memory) against the same work done straight
 * with ioredis on the same Redis (one round trip each: HMGET of the hash the sidecar reads, HSET of data and
 * version), and against a plain HTTP GET of the same 1 KB from a bare Node server (one HTTP hop, no store).
 */
export async function stateSection(ctx: BenchContext): Promise<StateResults> {
  const { lg, config } = ctx;
  const cfg = config.state;
  const appId = 'bench-state';
  const value = jsonPayload(1024, { kind: 'bench' });
  const resources = writeResources(
    ctx,
    'state',
    [component('redis-store', 'state.redis', { redisHost: `${REDIS.host}:${REDIS.port}`, keyPrefix: 'name' }), component('memory-store', 'state.in-memory')].join('\n---\n'),
  );
  const sidecar = await startSidecar({ appId, resourcesDir: resources, registryDir: path.join(ctx.tmp, 'registry-state'), nodeArgs: profileArgs(ctx, 'state') });
  const app = await startTargetApp({ VALUE: value });
  const key = `bench-${process.pid}`;
  // keyPrefix "name": the Redis key is `<store name>||<key>`, a key no app of the project uses.
  const redisKey = `redis-store||${key}`;
  for (const store of ['redis-store', 'memory-store']) {
    const res = await fetch(`${sidecar.url}/v1.0/state/${store}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `[{"key":"${key}","value":${value}}]` });
    if (res.status !== 204) throw new Error(`saving the bench key in ${store} failed: ${res.status} ${await res.text()}`);
  }
  const saveBody = `[{"key":"${key}-save","value":${value}}]`;
  const http = (origin: string, method: 'GET' | 'POST', p: string, body?: string) => lg.open({ kind: 'http', origin, method, path: p, body, connections: cfg.connections });
  const watch = [{ label: 'sidecar', pid: sidecar.pid }];
  const sessions = {
    sidecarRedisGet: await http(sidecar.url, 'GET', `/v1.0/state/redis-store/${key}`),
    directRedisGet: await lg.open({ kind: 'redis-hmget', ...REDIS, key: redisKey }),
    sidecarMemoryGet: await http(sidecar.url, 'GET', `/v1.0/state/memory-store/${key}`),
    bareHttpGet: await http(app.url, 'GET', '/value'),
    sidecarRedisSave: await http(sidecar.url, 'POST', '/v1.0/state/redis-store', saveBody),
    directRedisSave: await lg.open({ kind: 'redis-hset', ...REDIS, key: `${redisKey}-direct`, value }),
    sidecarMemorySave: await http(sidecar.url, 'POST', '/v1.0/state/memory-store', saveBody),
  };
  ctx.log(`state: get and save at ${cfg.rate}/s, ${cfg.durationMs / 1000} s each`);
  const m = await measurePaths(
    lg,
    Object.entries(sessions).map(([name, session]) => ({ name, session, watch: name.startsWith('sidecar') ? watch : [] })),
    { rate: cfg.rate, warmupMs: cfg.warmupMs, rounds: 1, roundMs: cfg.durationMs },
  );
  for (const s of Object.values(sessions)) await lg.close(s);
  await cleanupRedis([redisKey, `${redisKey}-save`, `${redisKey}-direct`]);
  await Promise.all([sidecar.stop(), app.stop()]);
  return {
    valueBytes: Buffer.byteLength(value),
    get: { sidecarRedis: m.get('sidecarRedisGet')!, directRedis: m.get('directRedisGet')!, sidecarInMemory: m.get('sidecarMemoryGet')!, bareHttp: m.get('bareHttpGet')! },
    save: { sidecarRedis: m.get('sidecarRedisSave')!, directRedis: m.get('directRedisSave')!, sidecarInMemory: m.get('sidecarMemorySave')! },
  };
}

async function cleanupRedis(keys: string[]): Promise<void> {
  const { Redis } = await import('ioredis');
  const client = new Redis({ ...REDIS, lazyConnect: true });
  await client.connect();
  await client.del(...keys);
  await client.quit();
}
