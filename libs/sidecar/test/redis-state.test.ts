import { Redis } from 'ioredis';
import { uniqueName } from './conformance/harness';
import { apiOf } from './support/api-call';
import { waitFor } from './support/poll';
import { startSidecar, type SidecarProcess } from './support/sidecar-process';

/**
 * `state.redis` through the sidecar's state API, against the shared Redis on 127.0.0.1:6379 (scripts/services.sh
 * starts it for `npm test`). Every key lives under a prefix of this run's own, removed afterwards; the checks
 * read Redis directly to prove the layout is daprd's.
 */

const REDIS = { host: '127.0.0.1', port: 6379 };
const prefix = uniqueName('redis-state-');

const component = (name: string, metadata: Record<string, string>) =>
  [
    'apiVersion: dapr.io/v1alpha1',
    'kind: Component',
    `metadata: {name: ${name}}`,
    'spec:',
    '  type: state.redis',
    '  version: v1',
    '  metadata:',
    ...Object.entries(metadata).map(([k, v]) => `  - {name: ${k}, value: "${v}"}`),
    '',
  ].join('\n');

let sidecar: SidecarProcess;
let redis: Redis;
let api: ReturnType<typeof apiOf>;
const storeKey = (key: string) => `${prefix}||${key}`;

beforeAll(async () => {
  redis = new Redis(REDIS);
  sidecar = await startSidecar({
    appId: 'redis-state-app',
    resources: {
      'redis.yaml': component('redis', { redisHost: `${REDIS.host}:${REDIS.port}`, keyPrefix: prefix }),
      'redis-ttl.yaml': component('redis-ttl', { redisHost: REDIS.host, redisPort: String(REDIS.port), keyPrefix: prefix, ttlInSeconds: '1000' }),
    },
  });
  api = apiOf(sidecar.url);
});

afterAll(async () => {
  await sidecar?.stop();
  const keys = await redis.keys(`${prefix}||*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe('state.redis', () => {
  it('stores each key as daprd does: a hash of the JSON data and a numeric version that is the etag', async () => {
    expect((await api('POST', '/v1.0/state/redis', [{ key: 'order-1', value: { total: 42, note: '<b>' } }])).status).toBe(204);
    expect(await redis.hgetall(storeKey('order-1'))).toEqual({ data: '{"note":"\\u003cb\\u003e","total":42}', version: '1' });

    const got = await api('GET', '/v1.0/state/redis/order-1');
    expect(got.status).toBe(200);
    expect(got.headers.get('etag')).toBe('1');
    expect(got.json()).toEqual({ total: 42, note: '<b>' });
  });

  it('reads a key written by daprd straight from Redis, and increments its version on the next save', async () => {
    await redis.hset(storeKey('from-daprd'), 'data', '"DeathStar"', 'version', '7');
    const got = await api('GET', '/v1.0/state/redis/from-daprd');
    expect(got.headers.get('etag')).toBe('7');
    expect(got.json()).toBe('DeathStar');

    expect((await api('POST', '/v1.0/state/redis', [{ key: 'from-daprd', value: 'Falcon', etag: '7' }])).status).toBe(204);
    expect(await redis.hgetall(storeKey('from-daprd'))).toEqual({ data: '"Falcon"', version: '8' });
  });

  it('answers 409 for a stale etag and 400 for an etag that is not a version, leaving the value as it was', async () => {
    await api('POST', '/v1.0/state/redis', [{ key: 'etag', value: 1 }]);
    await api('POST', '/v1.0/state/redis', [{ key: 'etag', value: 2, etag: '1' }]);

    const stale = await api('POST', '/v1.0/state/redis', [{ key: 'etag', value: 3, etag: '1' }]);
    expect(stale.status).toBe(409);
    expect(stale.json()).toMatchObject({ errorCode: 'ERR_STATE_SAVE' });
    const invalid = await api('POST', '/v1.0/state/redis', [{ key: 'etag', value: 3, etag: 'not-a-number' }]);
    expect(invalid.status).toBe(400);
    expect(invalid.json<{ message: string }>().message).toContain('invalid etag value');

    expect(await redis.hgetall(storeKey('etag'))).toEqual({ data: '2', version: '2' });
  });

  it('deletes only with the current etag in If-Match', async () => {
    await api('POST', '/v1.0/state/redis', [{ key: 'del', value: 'x' }]);
    expect((await api('DELETE', '/v1.0/state/redis/del', undefined, { 'if-match': '9' })).status).toBe(409);
    expect(await redis.exists(storeKey('del'))).toBe(1);
    expect((await api('DELETE', '/v1.0/state/redis/del', undefined, { 'if-match': '1' })).status).toBe(204);
    expect(await redis.exists(storeKey('del'))).toBe(0);
  });

  it('with first-write, creates a key once and then only accepts its current etag', async () => {
    const firstWrite = { concurrency: 'first-write' };
    expect((await api('POST', '/v1.0/state/redis', [{ key: 'fw', value: 'a', options: firstWrite }])).status).toBe(204);
    expect((await api('POST', '/v1.0/state/redis', [{ key: 'fw', value: 'b', options: firstWrite }])).status).toBe(409);
    expect((await api('POST', '/v1.0/state/redis', [{ key: 'fw', value: 'b', etag: '', options: firstWrite }])).status).toBe(409);
    expect((await api('POST', '/v1.0/state/redis', [{ key: 'fw', value: 'c', etag: '1', options: firstWrite }])).status).toBe(204);
    expect(await redis.hmget(storeKey('fw'), 'data', 'version')).toEqual(['"c"', '2']);
  });

  it('sets a TTL with EXPIRE, reports ttlExpireTime, and removes it with ttlInSeconds -1 or by saving without one', async () => {
    await api('POST', '/v1.0/state/redis', [{ key: 'ttl', value: 'v', metadata: { ttlInSeconds: '100' } }]);
    const ttl = await redis.ttl(storeKey('ttl'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(100);
    const got = await api('GET', '/v1.0/state/redis/ttl');
    expect(got.headers.get('metadata.ttlExpireTime')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    await api('POST', '/v1.0/state/redis', [{ key: 'ttl', value: 'v', metadata: { ttlInSeconds: '-1' } }]);
    expect(await redis.ttl(storeKey('ttl'))).toBe(-1);
    expect((await api('GET', '/v1.0/state/redis/ttl')).headers.get('metadata.ttlExpireTime')).toBeNull();

    await api('POST', '/v1.0/state/redis?metadata.ttlInSeconds=100', [{ key: 'ttl', value: 'v' }]);
    expect(await redis.ttl(storeKey('ttl'))).toBeGreaterThan(0);
    await api('POST', '/v1.0/state/redis', [{ key: 'ttl', value: 'v' }]);
    expect(await redis.ttl(storeKey('ttl'))).toBe(-1);
  });

  it("answers 204 once a key's TTL has passed", async () => {
    await api('POST', '/v1.0/state/redis', [{ key: 'short', value: 'v', metadata: { ttlInSeconds: '1' } }]);
    expect((await api('GET', '/v1.0/state/redis/short')).status).toBe(200);
    await waitFor('the key to expire', async () => (await api('GET', '/v1.0/state/redis/short')).status === 204, 5000);
    expect(await redis.exists(storeKey('short'))).toBe(0);
  });

  it("applies the component's ttlInSeconds when a save gives none, and -1 still persists", async () => {
    await api('POST', '/v1.0/state/redis-ttl', [{ key: 'default-ttl', value: 'v' }]);
    expect(await redis.ttl(storeKey('default-ttl'))).toBeGreaterThan(100);
    await api('POST', '/v1.0/state/redis-ttl', [{ key: 'default-ttl', value: 'v', metadata: { ttlInSeconds: '-1' } }]);
    expect(await redis.ttl(storeKey('default-ttl'))).toBe(-1);
  });

  it('bulk gets keys in order, with an entry without data for a missing key', async () => {
    await api('POST', '/v1.0/state/redis', [
      { key: 'bulk-1', value: { n: 1 } },
      { key: 'bulk-2', value: 'two', metadata: { ttlInSeconds: '100' } },
    ]);
    const res = await api('POST', '/v1.0/state/redis/bulk', { keys: ['bulk-2', 'bulk-missing', 'bulk-1'] });
    expect(res.status).toBe(200);
    const [two, missing, one] = res.json<Record<string, unknown>[]>();
    expect(two).toMatchObject({ key: 'bulk-2', data: 'two', etag: '1', metadata: { ttlExpireTime: expect.any(String) } });
    expect(missing).toEqual({ key: 'bulk-missing' });
    expect(one).toEqual({ key: 'bulk-1', data: { n: 1 }, etag: '1' });
  });

  it('applies a transaction in order: delete, upsert, delete and upsert of one key leave the last upsert', async () => {
    await api('POST', '/v1.0/state/redis', [{ key: 'tx-order', value: 'before' }]);
    const res = await api('POST', '/v1.0/state/redis/transaction', {
      operations: [
        { operation: 'delete', request: { key: 'tx-order' } },
        { operation: 'upsert', request: { key: 'tx-order', value: 'first' } },
        { operation: 'delete', request: { key: 'tx-order' } },
        { operation: 'upsert', request: { key: 'tx-order', value: 'last', metadata: { ttlInSeconds: '100' } } },
        { operation: 'delete', request: { key: 'tx-never-existed' } },
      ],
      metadata: null,
    });
    expect(res.status).toBe(204);
    expect(await redis.hgetall(storeKey('tx-order'))).toEqual({ data: '"last"', version: '1' });
    expect(await redis.ttl(storeKey('tx-order'))).toBeGreaterThan(0);
  });

  it('applies nothing of a transaction when an etag inside it is stale', async () => {
    await api('POST', '/v1.0/state/redis', [{ key: 'tx-a', value: 'a0' }]);
    const res = await api('POST', '/v1.0/state/redis/transaction', {
      operations: [
        { operation: 'upsert', request: { key: 'tx-a', value: 'a1', etag: '1' } },
        { operation: 'upsert', request: { key: 'tx-b', value: 'b1' } },
        { operation: 'delete', request: { key: 'tx-a', etag: '1' } },
      ],
    });
    expect(res.status).toBe(500);
    expect(res.json()).toMatchObject({ errorCode: 'ERR_STATE_TRANSACTION' });
    expect(await redis.hgetall(storeKey('tx-a'))).toEqual({ data: '"a0"', version: '1' });
    expect(await redis.exists(storeKey('tx-b'))).toBe(0);
  });

  it('checks an etag inside a transaction against the version an earlier operation left', async () => {
    await api('POST', '/v1.0/state/redis', [{ key: 'tx-chain', value: 0 }]);
    const res = await api('POST', '/v1.0/state/redis/transaction', {
      operations: [
        { operation: 'upsert', request: { key: 'tx-chain', value: 1, etag: '1' } },
        { operation: 'upsert', request: { key: 'tx-chain', value: 2, etag: '2' } },
      ],
    });
    expect(res.status).toBe(204);
    expect(await redis.hgetall(storeKey('tx-chain'))).toEqual({ data: '2', version: '3' });
  });

  it('reports its features, with ACTOR from ETAG and TRANSACTIONAL', async () => {
    const metadata = (await api('GET', '/v1.0/metadata')).json<{ components: { name: string; type: string; capabilities: string[] }[] }>();
    const redisComponent = metadata.components.find((c) => c.name === 'redis');
    expect(redisComponent?.type).toBe('state.redis');
    expect(redisComponent?.capabilities).toEqual(expect.arrayContaining(['ETAG', 'TRANSACTIONAL', 'TTL', 'ACTOR']));
  });
});
