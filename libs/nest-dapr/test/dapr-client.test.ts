import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DaprApiError, DaprClient, StateConflictError, daprOptionsFromEnv } from '../src';
import { newRegistryDir, startSidecar, startTestApp, type SidecarProcess, type TestApp } from './support/sidecar';

const STORE = `apiVersion: dapr.io/v1alpha1
kind: Component
metadata: { name: statestore }
spec: { type: state.in-memory, version: v1 }
`;

function secretsComponent(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nest-dapr-secrets-'));
  const file = path.join(dir, 'secrets.json');
  writeFileSync(file, JSON.stringify({ 'db-password': 's3cret', payment: { 'api-key': 'k-123' } }));
  return `apiVersion: dapr.io/v1alpha1
kind: Component
metadata: { name: secretstore }
spec:
  type: secretstores.local.file
  version: v1
  metadata:
    - { name: secretsFile, value: ${JSON.stringify(file)} }
`;
}

function clientFor(sidecar: SidecarProcess, apiToken?: string): DaprClient {
  return new DaprClient({ ...daprOptionsFromEnv({}), httpPort: sidecar.httpPort, apiToken, sidecarTimeoutMs: 10_000 });
}

describe('DaprClient against a real sidecar', () => {
  let sidecar: SidecarProcess;
  let dapr: DaprClient;

  beforeAll(async () => {
    sidecar = await startSidecar({ appId: 'client-test', resources: { 'store.yaml': STORE, 'secrets.yaml': secretsComponent() } });
    dapr = clientFor(sidecar);
  });
  afterAll(async () => {
    await dapr.onApplicationShutdown();
    await sidecar.stop();
  });

  it('saves a value and reads it back with its etag; a missing key reads as undefined', async () => {
    await dapr.saveState('statestore', [{ key: 'cart-1', value: [{ product_id: '100', quantity: 2 }] }]);
    const item = await dapr.getState<{ product_id: string; quantity: number }[]>('statestore', 'cart-1');
    expect(item).toEqual({ key: 'cart-1', value: [{ product_id: '100', quantity: 2 }], etag: expect.any(String) });
    expect(item!.etag).not.toBe('');
    expect(await dapr.getState('statestore', 'never-saved')).toBeUndefined();
  });

  it('throws StateConflictError when a save carries a stale etag', async () => {
    await dapr.saveState('statestore', [{ key: 'etag-key', value: 1 }]);
    const first = await dapr.getState<number>('statestore', 'etag-key');
    await dapr.saveState('statestore', [{ key: 'etag-key', value: 2, etag: first!.etag }]);
    await expect(dapr.saveState('statestore', [{ key: 'etag-key', value: 3, etag: first!.etag }])).rejects.toBeInstanceOf(StateConflictError);
    expect((await dapr.getState<number>('statestore', 'etag-key'))!.value).toBe(2);
  });

  it('throws StateConflictError for first-write on a key that exists', async () => {
    await dapr.saveState('statestore', [{ key: 'created-once', value: 'a', concurrency: 'first-write' }]);
    await expect(dapr.saveState('statestore', [{ key: 'created-once', value: 'b', concurrency: 'first-write' }])).rejects.toBeInstanceOf(StateConflictError);
  });

  it('applies a transaction atomically and throws StateConflictError when one etag is stale', async () => {
    await dapr.saveState('statestore', [
      { key: 'tx-a', value: 10 },
      { key: 'tx-b', value: 20 },
    ]);
    const [a, b] = await dapr.getBulkState<number>('statestore', ['tx-a', 'tx-b']);
    await dapr.transaction('statestore', [
      { operation: 'upsert', key: 'tx-a', value: 11, etag: a!.etag },
      { operation: 'upsert', key: 'tx-b', value: 21, etag: b!.etag },
    ]);
    const stale = dapr.transaction('statestore', [
      { operation: 'upsert', key: 'tx-a', value: 99 },
      { operation: 'upsert', key: 'tx-b', value: 99, etag: b!.etag },
    ]);
    await expect(stale).rejects.toBeInstanceOf(StateConflictError);
    const values = (await dapr.getBulkState<number>('statestore', ['tx-a', 'tx-b'])).map((i) => i.value);
    expect(values).toEqual([11, 21]);
  });

  it('bulk get returns values with etags, and only the key for a missing one', async () => {
    await dapr.saveState('statestore', [{ key: 'bulk-1', value: { n: 1 } }]);
    const items = await dapr.getBulkState<{ n: number }>('statestore', ['bulk-1', 'bulk-missing']);
    expect(items).toEqual([{ key: 'bulk-1', value: { n: 1 }, etag: expect.any(String) }, { key: 'bulk-missing' }]);
  });

  it('deletes only with the current etag', async () => {
    await dapr.saveState('statestore', [{ key: 'del', value: 'x' }]);
    const item = await dapr.getState<string>('statestore', 'del');
    await dapr.saveState('statestore', [{ key: 'del', value: 'y' }]);
    await expect(dapr.deleteState('statestore', 'del', { etag: item!.etag })).rejects.toBeInstanceOf(StateConflictError);
    const current = await dapr.getState<string>('statestore', 'del');
    await dapr.deleteState('statestore', 'del', { etag: current!.etag });
    expect(await dapr.getState('statestore', 'del')).toBeUndefined();
  });

  it('updateState loses no update among concurrent writers', async () => {
    const writers = Array.from({ length: 20 }, () => dapr.updateState<number>('statestore', 'counter', (n) => (n ?? 0) + 1));
    await Promise.all(writers);
    expect((await dapr.getState<number>('statestore', 'counter'))!.value).toBe(20);
  });

  it('reads secrets, one and all', async () => {
    expect(await dapr.getSecret('secretstore', 'db-password')).toEqual({ 'db-password': 's3cret' });
    expect(await dapr.getBulkSecret('secretstore')).toMatchObject({ 'payment:api-key': { 'payment:api-key': 'k-123' } });
  });

  it('reads the sidecar’s metadata', async () => {
    expect(await dapr.getMetadata()).toMatchObject({ id: 'client-test', components: expect.arrayContaining([expect.objectContaining({ name: 'statestore' })]) });
  });

  it('throws DaprApiError with daprd’s code for an unknown store', async () => {
    const err = await dapr.getState('no-such-store', 'k').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DaprApiError);
    expect(err).toMatchObject({ status: 400, errorCode: 'ERR_STATE_STORE_NOT_FOUND' });
  });
});

describe('DaprClient service invocation', () => {
  const registryDir = newRegistryDir();
  let target: TestApp;
  let callee: SidecarProcess;
  let caller: SidecarProcess;
  let dapr: DaprClient;

  beforeAll(async () => {
    target = await startTestApp((req, res) => {
      if (req.url === '/fail') {
        res.writeHead(503, { 'content-type': 'text/plain' });
        return void res.end('down for maintenance');
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, url: req.url, body: req.body.toString(), user: req.headers['x-user-id'] }));
    });
    callee = await startSidecar({ appId: 'callee', appPort: target.port, registryDir, waitForApp: true });
    caller = await startSidecar({ appId: 'caller', registryDir });
    dapr = clientFor(caller);
  });
  afterAll(async () => {
    await dapr.onApplicationShutdown();
    await Promise.all([caller.stop(), callee.stop()]);
    await target.close();
  });

  it('invokes a method of another app with method, body, headers and query', async () => {
    const res = await dapr.invoke('callee', 'orders/42', { httpMethod: 'POST', body: { a: 1 }, headers: { 'x-user-id': 'U1' }, query: { q: 'x' } });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ method: 'POST', url: '/orders/42?q=x', body: '{"a":1}', user: 'U1' });
  });

  it('passes the target’s error status and body through without throwing', async () => {
    const res = await dapr.invoke('callee', 'fail');
    expect({ status: res.status, ok: res.ok, text: res.text() }).toEqual({ status: 503, ok: false, text: 'down for maintenance' });
  });
});

describe('DaprClient and the API token', () => {
  let sidecar: SidecarProcess;

  beforeAll(async () => {
    sidecar = await startSidecar({ appId: 'token-test', resources: { 'store.yaml': STORE }, env: { DAPR_API_TOKEN: 'tok-1' } });
  });
  afterAll(() => sidecar.stop());

  it('sends dapr-api-token when configured, and gets 401 without it', async () => {
    const withToken = clientFor(sidecar, 'tok-1');
    const without = clientFor(sidecar);
    try {
      await withToken.saveState('statestore', [{ key: 'k', value: 1 }]);
      expect((await withToken.getState<number>('statestore', 'k'))!.value).toBe(1);
      await expect(without.getState('statestore', 'k')).rejects.toMatchObject({ status: 401 });
    } finally {
      await Promise.all([withToken.onApplicationShutdown(), without.onApplicationShutdown()]);
    }
  });
});
