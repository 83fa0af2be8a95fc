import { once } from 'node:events';
import { apiOf } from './support/api-call';
import { freePort } from './support/ports';
import { waitFor } from './support/poll';
import { startSidecar, type SidecarProcess } from './support/sidecar-process';
import { startTestApp, type TestApp } from './support/test-app';

/** `/v1.0/metadata`, `/v1.0/healthz` (+ `/outbound`) and `/v1.0/shutdown`, and how the process ends. */

const STATE = `apiVersion: dapr.io/v1alpha1
kind: Component
metadata: {name: statestore}
spec: {type: state.in-memory, version: v1}
`;

describe('before and after the app is up', () => {
  let sidecar: SidecarProcess;
  let app: TestApp | undefined;
  let appPort: number;

  beforeAll(async () => {
    appPort = await freePort();
    // Outbound-healthy only: nothing listens on the app port yet.
    sidecar = await startSidecar({ appId: 'late-app', appPort, resources: { 'state.yaml': STATE } });
  });

  afterAll(async () => {
    await sidecar?.stop();
    await app?.close();
  });

  it('answers 500 ERR_HEALTH_NOT_READY on /v1.0/healthz while the app port does not answer', async () => {
    const res = await apiOf(sidecar.url)('GET', '/v1.0/healthz');
    expect(res.status).toBe(500);
    expect(res.json()).toMatchObject({ errorCode: 'ERR_HEALTH_NOT_READY' });
  });

  it('answers 204 on /v1.0/healthz/outbound before the app is up', async () => {
    expect((await apiOf(sidecar.url)('GET', '/v1.0/healthz/outbound')).status).toBe(204);
  });

  it('serves /v1.0/metadata before the app is up (the JS SDK polls it at start)', async () => {
    const res = await apiOf(sidecar.url)('GET', '/v1.0/metadata');
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ id: 'late-app' });
  });

  it('answers 204 on /v1.0/healthz once the app port answers', async () => {
    app = await startTestApp(undefined, appPort);
    await waitFor('healthz to turn 204', async () => (await apiOf(sidecar.url)('GET', '/v1.0/healthz')).status === 204);
  });

  it('answers 500 ERR_HEALTH_APPID_NOT_MATCH for ?appid=<another id> and 204 for its own', async () => {
    const other = await apiOf(sidecar.url)('GET', '/v1.0/healthz?appid=other');
    expect(other.status).toBe(500);
    expect(other.json()).toMatchObject({ errorCode: 'ERR_HEALTH_APPID_NOT_MATCH' });
    expect((await apiOf(sidecar.url)('GET', '/v1.0/healthz?appid=late-app')).status).toBe(204);
  });
});

describe('metadata', () => {
  let sidecar: SidecarProcess;
  let app: TestApp;
  let api: ReturnType<typeof apiOf>;

  beforeAll(async () => {
    app = await startTestApp();
    sidecar = await startSidecar({ appId: 'meta-app', appPort: app.port, resources: { 'state.yaml': STATE }, waitForApp: true });
    api = apiOf(sidecar.url);
  });

  afterAll(async () => {
    await sidecar?.stop();
    await app?.close();
  });

  it('lists the app id, the components with their capabilities and the app connection', async () => {
    const res = await api('GET', '/v1.0/metadata');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = res.json<{ id: string; components: { name: string; type: string; version: string; capabilities: string[] }[]; appConnectionProperties: unknown; extended: Record<string, string> }>();
    expect(body.id).toBe('meta-app');
    expect(body.components).toEqual([{ name: 'statestore', type: 'state.in-memory', version: 'v1', capabilities: expect.arrayContaining(['ETAG', 'TRANSACTIONAL', 'TTL', 'ACTOR']) }]);
    expect(body.appConnectionProperties).toMatchObject({ port: app.port, protocol: 'http', channelAddress: '127.0.0.1' });
    expect(body.extended['daprRuntimeVersion']).toBeTruthy();
  });

  it('stores PUT /v1.0/metadata/{key} under extended', async () => {
    expect((await api('PUT', '/v1.0/metadata/owner', 'team-a', { 'content-type': 'text/plain' })).status).toBe(204);
    expect((await api('PUT', '/v1.0/metadata/owner', 'team-b', { 'content-type': 'text/plain' })).status).toBe(204);
    expect((await api('GET', '/v1.0/metadata')).json<{ extended: Record<string, string> }>().extended).toMatchObject({ owner: 'team-b' });
  });
});

describe('ending the process', () => {
  it('answers POST /v1.0/shutdown with 204 and exits 0', async () => {
    const sidecar = await startSidecar({ appId: 'shut-me' });
    const exited = once(sidecar.process, 'exit');
    const res = await apiOf(sidecar.url)('POST', '/v1.0/shutdown');
    expect(res.status).toBe(204);
    const [code] = await exited;
    expect(code).toBe(0);
  });

  it('exits 0 on SIGTERM', async () => {
    const sidecar = await startSidecar({ appId: 'term-me' });
    expect(await sidecar.stop()).toBe(0);
  });
});
