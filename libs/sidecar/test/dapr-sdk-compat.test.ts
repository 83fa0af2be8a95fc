import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommunicationProtocolEnum, DaprClient, HttpMethod, LogLevel } from '@dapr/dapr';
import { startSidecar, type SidecarProcess } from './support/sidecar-process';
import { startTestApp, type TestApp } from './support/test-app';

/** The official JavaScript SDK (`@dapr/dapr` DaprClient over HTTP) against the real sidecar, unchanged. */

const secretsFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'sidecar-sdk-')), 'secrets.json');
writeFileSync(secretsFile, JSON.stringify({ dbPassword: 's3cret', apiKey: 'k-1' }));

const RESOURCES = {
  'state.yaml': `apiVersion: dapr.io/v1alpha1
kind: Component
metadata: {name: statestore}
spec: {type: state.in-memory, version: v1}
`,
  'secrets.yaml': `apiVersion: dapr.io/v1alpha1
kind: Component
metadata: {name: localsecrets}
spec:
  type: secretstores.local.file
  version: v1
  metadata:
  - {name: secretsFile, value: "${secretsFile}"}
`,
};

const quiet = () => undefined;

let app: TestApp;
let sidecar: SidecarProcess;
let client: DaprClient;

beforeAll(async () => {
  app = await startTestApp((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ method: req.method, url: req.url, got: req.body.length ? JSON.parse(req.body.toString()) : null }));
  });
  sidecar = await startSidecar({ appId: 'sdk-app', appPort: app.port, resources: RESOURCES, waitForApp: true });
  client = new DaprClient({
    daprHost: '127.0.0.1',
    daprPort: String(sidecar.httpPort),
    communicationProtocol: CommunicationProtocolEnum.HTTP,
    // The SDK logs the failures this test provokes on purpose; they are asserted on, not printed.
    logger: { level: LogLevel.Error, service: { error: quiet, warn: quiet, info: quiet, verbose: quiet, debug: quiet } },
  });
  await client.start();
});

afterAll(async () => {
  await client?.stop();
  await sidecar?.stop();
  await app?.close();
});

describe('@dapr/dapr DaprClient over HTTP', () => {
  it('saves, gets, gets in bulk and deletes state', async () => {
    expect(await client.state.save('statestore', [
      { key: 'order-1', value: { total: 42 } },
      { key: 'order-2', value: 'second' },
    ])).toEqual({});
    expect(await client.state.get('statestore', 'order-1')).toEqual({ total: 42 });
    const bulk = (await client.state.getBulk('statestore', ['order-1', 'order-2', 'nope'])) as { key: string; data?: unknown }[];
    expect(bulk.map((e) => [e.key, e.data])).toEqual([
      ['order-1', { total: 42 }],
      ['order-2', 'second'],
      ['nope', undefined],
    ]);
    expect(await client.state.delete('statestore', 'order-2')).toEqual({});
    // The SDK turns daprd's 204 for a missing key into "".
    expect(await client.state.get('statestore', 'order-2')).toBe('');
  });

  it('guards writes and deletes with the etag', async () => {
    await client.state.save('statestore', [{ key: 'guarded', value: 1 }]);
    const bulk = (await client.state.getBulk('statestore', ['guarded'])) as { etag: string }[];
    const etag = bulk[0]!.etag;
    const stale = await client.state.save('statestore', [{ key: 'guarded', value: 2, etag: 'stale' }]);
    expect(String(stale.error)).toContain('ERR_STATE_SAVE');
    expect((await client.state.delete('statestore', 'guarded', { etag: 'stale' })).error).toBeDefined();
    expect(await client.state.get('statestore', 'guarded')).toBe(1);
    expect(await client.state.delete('statestore', 'guarded', { etag })).toEqual({});
    expect(await client.state.get('statestore', 'guarded')).toBe('');
  });

  it('runs a state transaction', async () => {
    await client.state.save('statestore', [{ key: 'tx-delete', value: 'old' }]);
    await client.state.transaction('statestore', [
      { operation: 'upsert', request: { key: 'tx-upsert', value: { n: 1 } } },
      { operation: 'delete', request: { key: 'tx-delete' } },
    ]);
    expect(await client.state.get('statestore', 'tx-upsert')).toEqual({ n: 1 });
    expect(await client.state.get('statestore', 'tx-delete')).toBe('');
  });

  it('invokes a method with GET and with POST and a JSON body', async () => {
    expect(await client.invoker.invoke('sdk-app', 'hello?who=sdk', HttpMethod.GET)).toEqual({ method: 'GET', url: '/hello?who=sdk', got: null });
    expect(await client.invoker.invoke('sdk-app', 'orders', HttpMethod.POST, { item: 'book' })).toEqual({ method: 'POST', url: '/orders', got: { item: 'book' } });
  });

  it('reads one secret and all of them', async () => {
    expect(await client.secret.get('localsecrets', 'dbPassword')).toEqual({ dbPassword: 's3cret' });
    expect(await client.secret.getBulk('localsecrets')).toEqual({ dbPassword: { dbPassword: 's3cret' }, apiKey: { apiKey: 'k-1' } });
  });

  it('reads the sidecar metadata', async () => {
    const metadata = await client.metadata.get();
    expect(metadata.id).toBe('sdk-app');
    expect(metadata.components).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'statestore', type: 'state.in-memory' })]));
  });

  it('reports the sidecar healthy', async () => {
    expect(await client.health.isHealthy()).toBe(true);
  });
});
