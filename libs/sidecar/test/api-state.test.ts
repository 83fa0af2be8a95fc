import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { apiOf } from './support/api-call';
import { waitFor } from './support/poll';
import { startSidecar, type SidecarProcess } from './support/sidecar-process';

/** The state API (daprd's `/v1.0/state`) against the real sidecar, once per embedded store type. */

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sidecar-state-'));
const sqliteFile = path.join(dataDir, 'state.db');

const component = (name: string, type: string, metadata: Record<string, string> = {}) =>
  [
    'apiVersion: dapr.io/v1alpha1',
    'kind: Component',
    `metadata: {name: ${name}}`,
    'spec:',
    `  type: ${type}`,
    '  version: v1',
    '  metadata:',
    ...Object.entries(metadata).map(([k, v]) => `  - {name: ${k}, value: "${v}"}`),
    '',
  ].join('\n');

const sqlite = (name: string, keyPrefix?: string) =>
  component(name, 'state.sqlite', { connectionString: sqliteFile, ...(keyPrefix ? { keyPrefix } : {}) });

const RESOURCES = {
  'memory.yaml': component('memory', 'state.in-memory'),
  'sqlite.yaml': sqlite('sqlite'),
  'prefixes.yaml': [sqlite('pfx-appid'), sqlite('pfx-name', 'name'), sqlite('pfx-none', 'none'), sqlite('pfx-ns', 'namespace'), sqlite('pfx-literal', 'shop')].join('---\n'),
};

let alpha: SidecarProcess;
let beta: SidecarProcess;
let bare: SidecarProcess;
let api: ReturnType<typeof apiOf>;

beforeAll(async () => {
  [alpha, beta, bare] = await Promise.all([
    startSidecar({ appId: 'alpha', resources: RESOURCES, env: { NAMESPACE: 'prod' } }),
    startSidecar({ appId: 'beta', resources: RESOURCES }),
    startSidecar({ appId: 'bare', resources: {} }),
  ]);
  api = apiOf(alpha.url);
});

afterAll(async () => {
  await Promise.all([alpha?.stop(), beta?.stop(), bare?.stop()]);
});

describe.each(['memory', 'sqlite'])('state store %s', (store) => {
  const base = `/v1.0/state/${store}`;

  it('saves, gets and deletes a value; a missing key is 204 with no body', async () => {
    expect((await api('POST', base, [{ key: 'order-1', value: { total: 42, items: ['a'] } }])).status).toBe(204);
    const got = await api('GET', `${base}/order-1`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/json');
    expect(got.json()).toEqual({ items: ['a'], total: 42 });
    expect(got.headers.get('etag')).toBeTruthy();

    expect((await api('DELETE', `${base}/order-1`)).status).toBe(204);
    const gone = await api('GET', `${base}/order-1`);
    expect(gone.status).toBe(204);
    expect(gone.text).toBe('');
    // Deleting a missing key is not an error.
    expect((await api('DELETE', `${base}/never-there`)).status).toBe(204);
  });

  it('reads a key whose URL form is percent-encoded, such as a slash or a space', async () => {
    await api('POST', base, [{ key: 'dir/file name', value: 'encoded' }]);
    expect((await api('GET', `${base}/dir%2Ffile%20name`)).text).toBe('"encoded"');
    expect((await api('DELETE', `${base}/dir%2Ffile%20name`)).status).toBe(204);
    expect((await api('GET', `${base}/dir%2Ffile%20name`)).status).toBe(204);
  });

  it('accepts PUT for save and stores a string value with its quotes', async () => {
    expect((await api('PUT', base, [{ key: 'name', value: 'DeathStar' }])).status).toBe(204);
    expect((await api('GET', `${base}/name`)).text).toBe('"DeathStar"');
  });

  it('stores values as Go encoding/json writes them: sorted keys and escaped <, >, &', async () => {
    await api('POST', base, [{ key: 'go', value: { b: 1, a: '<tag>&', '10': true, '9': null, nested: { z: 1, y: [{ d: 1, c: 2 }] } } }]);
    expect((await api('GET', `${base}/go`)).text).toBe('{"10":true,"9":null,"a":"\\u003ctag\\u003e\\u0026","b":1,"nested":{"y":[{"c":2,"d":1}],"z":1}}');
  });

  it('returns 409 ERR_STATE_SAVE when the etag is stale and saves with the current one', async () => {
    await api('POST', base, [{ key: 'etag', value: 1 }]);
    const etag = (await api('GET', `${base}/etag`)).headers.get('etag')!;
    const stale = await api('POST', base, [{ key: 'etag', value: 2, etag: 'not-the-etag' }]);
    expect(stale.status).toBe(409);
    expect(stale.json()).toMatchObject({ errorCode: 'ERR_STATE_SAVE' });
    expect(stale.json<{ message: string }>().message).toContain('possible etag mismatch');

    expect((await api('POST', base, [{ key: 'etag', value: 3, etag }])).status).toBe(204);
    const after = await api('GET', `${base}/etag`);
    expect(after.text).toBe('3');
    expect(after.headers.get('etag')).not.toBe(etag);
    // The old etag is now stale too.
    expect((await api('POST', base, [{ key: 'etag', value: 4, etag }])).status).toBe(409);
  });

  it('applies the other items of a multi-item save when one etag is stale, and answers 409', async () => {
    await api('POST', base, [{ key: 'multi-guarded', value: 'v1' }]);
    const res = await api('POST', base, [
      { key: 'multi-a', value: 'a' },
      { key: 'multi-guarded', value: 'v2', etag: 'stale' },
      { key: 'multi-b', value: 'b' },
    ]);
    expect(res.status).toBe(409);
    expect((await api('GET', `${base}/multi-a`)).text).toBe('"a"');
    expect((await api('GET', `${base}/multi-b`)).text).toBe('"b"');
    expect((await api('GET', `${base}/multi-guarded`)).text).toBe('"v1"');
  });

  it('returns 409 ERR_STATE_DELETE when If-Match is stale and deletes with the current etag', async () => {
    await api('POST', base, [{ key: 'del', value: 'x' }]);
    const etag = (await api('GET', `${base}/del`)).headers.get('etag')!;
    const stale = await api('DELETE', `${base}/del`, undefined, { 'if-match': 'stale' });
    expect(stale.status).toBe(409);
    expect(stale.json()).toMatchObject({ errorCode: 'ERR_STATE_DELETE' });
    expect((await api('GET', `${base}/del`)).status).toBe(200);
    expect((await api('DELETE', `${base}/del`, undefined, { 'if-match': etag })).status).toBe(204);
    expect((await api('GET', `${base}/del`)).status).toBe(204);
  });

  it('first-write only creates a key, and then needs the current etag', async () => {
    const firstWrite = { concurrency: 'first-write' };
    expect((await api('POST', base, [{ key: 'fw', value: 1, options: firstWrite }])).status).toBe(204);
    const again = await api('POST', base, [{ key: 'fw', value: 2, options: firstWrite }]);
    expect(again.status).toBe(409);
    expect((await api('POST', base, [{ key: 'fw', value: 2, etag: '', options: firstWrite }])).status).toBe(409);
    const etag = (await api('GET', `${base}/fw`)).headers.get('etag')!;
    expect((await api('POST', base, [{ key: 'fw', value: 3, etag, options: firstWrite }])).status).toBe(204);
    expect((await api('GET', `${base}/fw`)).text).toBe('3');
  });

  it('expires a value after ttlInSeconds and reports metadata.ttlExpireTime until then', async () => {
    expect((await api('POST', base, [{ key: 'ttl', value: 'soon', metadata: { ttlInSeconds: '1' } }])).status).toBe(204);
    const got = await api('GET', `${base}/ttl`);
    // RFC 3339 in UTC, as daprd prints it.
    expect(got.headers.get('metadata.ttlexpiretime')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await waitFor('the value to expire', async () => (await api('GET', `${base}/ttl`)).status === 204, 5000);
  });

  it('takes ttlInSeconds from the query too, reports it in bulk gets, and -1 removes an existing TTL', async () => {
    await api('POST', `${base}?metadata.ttlInSeconds=3600`, [{ key: 'keep', value: 1 }]);
    const expires = (await api('GET', `${base}/keep`)).headers.get('metadata.ttlexpiretime');
    expect(expires).toBeTruthy();
    const [entry] = (await api('POST', `${base}/bulk`, { keys: ['keep'] })).json<{ metadata?: Record<string, string> }[]>();
    expect(entry!.metadata).toEqual({ ttlExpireTime: expires });
    await api('POST', base, [{ key: 'keep', value: 2, metadata: { ttlInSeconds: '-1' } }]);
    const kept = await api('GET', `${base}/keep`);
    expect(kept.text).toBe('2');
    expect(kept.headers.get('metadata.ttlexpiretime')).toBeNull();
  });

  it('gets in bulk with the value under "data" and a bare entry for a missing key', async () => {
    await api('POST', base, [
      { key: 'b1', value: { n: 1 } },
      { key: 'b2', value: 'two' },
    ]);
    const res = await api('POST', `${base}/bulk`, { keys: ['b1', 'missing', 'b2'], parallelism: 10 });
    expect(res.status).toBe(200);
    const entries = res.json<{ key: string; data?: unknown; etag?: string }[]>();
    expect(entries.map((e) => e.key)).toEqual(['b1', 'missing', 'b2']);
    expect(entries[0]).toMatchObject({ key: 'b1', data: { n: 1 } });
    expect(entries[0]!.etag).toBeTruthy();
    expect(entries[1]).toEqual({ key: 'missing' });
    expect(entries[2]).toMatchObject({ key: 'b2', data: 'two' });
    expect((await api('POST', `${base}/bulk`, { keys: [] })).json()).toEqual([]);
  });

  it('applies a transaction atomically: a stale etag in the second operation leaves the first unapplied', async () => {
    await api('POST', base, [{ key: 'tx-guard', value: 'v1' }]);
    const res = await api('POST', `${base}/transaction`, {
      operations: [
        { operation: 'upsert', request: { key: 'tx-new', value: 'should not exist' } },
        { operation: 'upsert', request: { key: 'tx-guard', value: 'v2', etag: 'stale' } },
      ],
    });
    expect(res.status).toBe(500);
    expect(res.json()).toMatchObject({ errorCode: 'ERR_STATE_TRANSACTION' });
    expect((await api('GET', `${base}/tx-new`)).status).toBe(204);
    expect((await api('GET', `${base}/tx-guard`)).text).toBe('"v1"');
  });

  it('applies transaction operations in order, including delete-then-upsert of one key', async () => {
    await api('POST', base, [{ key: 'tx-order', value: 'old' }]);
    const res = await api('POST', `${base}/transaction`, {
      operations: [
        { operation: 'delete', request: { key: 'tx-order' } },
        { operation: 'upsert', request: { key: 'tx-order', value: 'new' } },
        { operation: 'upsert', request: { key: 'tx-gone', value: 'brief' } },
        { operation: 'delete', request: { key: 'tx-gone' } },
        { operation: 'delete', request: { key: 'tx-never-existed' } },
      ],
      metadata: null,
    });
    expect(res.status).toBe(204);
    expect((await api('GET', `${base}/tx-order`)).text).toBe('"new"');
    expect((await api('GET', `${base}/tx-gone`)).status).toBe(204);
  });

  it('refuses a transaction operation other than upsert or delete', async () => {
    const res = await api('POST', `${base}/transaction`, { operations: [{ operation: 'merge', request: { key: 'k', value: 1 } }] });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ errorCode: 'ERR_NOT_SUPPORTED_STATE_OPERATION' });
  });
});

describe('state request validation', () => {
  it('refuses a key containing || with 400 ERR_MALFORMED_REQUEST on save and get', async () => {
    const save = await api('POST', '/v1.0/state/memory', [{ key: 'a||b', value: 1 }]);
    expect(save.status).toBe(400);
    expect(save.json()).toMatchObject({ errorCode: 'ERR_MALFORMED_REQUEST' });
    const get = await api('GET', '/v1.0/state/memory/a||b');
    expect(get.status).toBe(400);
    expect(get.json()).toMatchObject({ errorCode: 'ERR_MALFORMED_REQUEST' });
  });

  it('answers 400 ERR_STATE_STORE_NOT_FOUND for an unknown store', async () => {
    for (const res of [await api('GET', '/v1.0/state/nope/k'), await api('POST', '/v1.0/state/nope', [{ key: 'k', value: 1 }])]) {
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ errorCode: 'ERR_STATE_STORE_NOT_FOUND', message: 'state store nope is not found' });
    }
  });

  it('answers 500 ERR_STATE_STORE_NOT_CONFIGURED when no state store is loaded', async () => {
    const res = await apiOf(bare.url)('GET', '/v1.0/state/any/k');
    expect(res.status).toBe(500);
    expect(res.json()).toMatchObject({ errorCode: 'ERR_STATE_STORE_NOT_CONFIGURED' });
  });

  it('answers 400 ERR_MALFORMED_REQUEST for a body that is not JSON, or an item without a key', async () => {
    for (const res of [
      await api('POST', '/v1.0/state/memory', '[{"key": "k", "value": ', { 'content-type': 'application/json' }),
      await api('POST', '/v1.0/state/memory', [{ value: 1 }]),
      await api('POST', '/v1.0/state/memory/bulk', 'keys', { 'content-type': 'application/json' }),
      await api('POST', '/v1.0/state/memory/transaction', '{"operations": [', { 'content-type': 'application/json' }),
    ]) {
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ errorCode: 'ERR_MALFORMED_REQUEST' });
    }
  });

  it('answers 500 ERR_STATE_SAVE for a ttlInSeconds that is not an integer or an unknown concurrency', async () => {
    for (const item of [
      { key: 'k', value: 1, metadata: { ttlInSeconds: 'soon' } },
      { key: 'k', value: 1, options: { concurrency: 'sometimes' } },
    ]) {
      const res = await api('POST', '/v1.0/state/memory', [item]);
      expect(res.status).toBe(500);
      expect(res.json()).toMatchObject({ errorCode: 'ERR_STATE_SAVE' });
    }
    expect((await api('POST', '/v1.0/state/memory', [{ key: 'k', value: 1, options: { concurrency: 'sometimes' } }])).json<{ message: string }>().message).toContain(
      "unrecognized concurrency model 'sometimes'",
    );
  });

  it('matches request field names case-insensitively, as Go does', async () => {
    expect((await api('POST', '/v1.0/state/memory', [{ Key: 'cased', Value: { A: 1 } }])).status).toBe(204);
    expect((await api('GET', '/v1.0/state/memory/cased')).text).toBe('{"A":1}');
    const tx = await api('POST', '/v1.0/state/memory/transaction', { Operations: [{ Operation: 'delete', Request: { Key: 'cased' } }] });
    expect(tx.status).toBe(204);
    expect((await api('GET', '/v1.0/state/memory/cased')).status).toBe(204);
  });

  it('treats an empty save array as a no-op', async () => {
    expect((await api('POST', '/v1.0/state/memory', [])).status).toBe(204);
  });
});

describe('keyPrefix', () => {
  it('stores keys as appid||key, name||key, key, namespace.appid||key or literal||key', async () => {
    for (const [store, key] of [
      ['pfx-appid', 'k1'],
      ['pfx-name', 'k2'],
      ['pfx-none', 'k3'],
      ['pfx-ns', 'k4'],
      ['pfx-literal', 'k5'],
    ] as const) {
      expect((await api('POST', `/v1.0/state/${store}`, [{ key, value: store }])).status).toBe(204);
    }
    const db = new Database(sqliteFile, { readonly: true });
    try {
      const keys = db.prepare<[], { key: string }>(`SELECT key FROM state WHERE key LIKE '%k_'`).all().map((r) => r.key);
      expect(keys.sort()).toEqual(['alpha||k1', 'k3', 'pfx-name||k2', 'prod.alpha||k4', 'shop||k5']);
    } finally {
      db.close();
    }
  });

  it('lets another app id share keys under name, none and literal prefixes but not under appid', async () => {
    const other = apiOf(beta.url);
    await api('POST', '/v1.0/state/pfx-appid', [{ key: 'shared', value: 'alpha-only' }]);
    await api('POST', '/v1.0/state/pfx-name', [{ key: 'shared', value: 'by-name' }]);
    await api('POST', '/v1.0/state/pfx-none', [{ key: 'shared', value: 'raw' }]);
    await api('POST', '/v1.0/state/pfx-literal', [{ key: 'shared', value: 'literal' }]);
    expect((await other('GET', '/v1.0/state/pfx-appid/shared')).status).toBe(204);
    expect((await other('GET', '/v1.0/state/pfx-name/shared')).text).toBe('"by-name"');
    expect((await other('GET', '/v1.0/state/pfx-none/shared')).text).toBe('"raw"');
    expect((await other('GET', '/v1.0/state/pfx-literal/shared')).text).toBe('"literal"');
    // Without NAMESPACE, keyPrefix namespace is the app id: beta's own key, not alpha's prod.alpha one.
    await other('POST', '/v1.0/state/pfx-ns', [{ key: 'shared', value: 'beta' }]);
    expect((await other('GET', '/v1.0/state/pfx-appid/shared')).text).toBe('"beta"');
  });
});
