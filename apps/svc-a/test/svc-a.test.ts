import { API_B1_RESPONSE } from '@repo/contracts';
import { AppModule } from '../src/app.module';
import { newRegistryDir, startDaprApp, startInProcessSidecar, startTestApp, type RunningDaprApp, type RunningSidecar, type TestApp } from './support';

/**
 * svc-a with a stand-in svc-b (a real HTTP app under svc-b's app id, behind its own sidecar): the stand-in
 * answers like svc-b, or fails when asked to, so the test can show both paths of the article's svc-a.
 */
describe('svc-a invoking svc-b through the sidecars', () => {
  const registryDir = newRegistryDir();
  let svcBFails = false;
  let standIn: TestApp;
  let svcBSidecar: RunningSidecar;
  let svcA: RunningDaprApp;

  beforeAll(async () => {
    standIn = await startTestApp((req, res) => {
      if (svcBFails) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        return void res.end('svc-b exploded');
      }
      if (req.url !== '/api-b1') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(API_B1_RESPONSE);
    });
    svcBSidecar = await startInProcessSidecar({ appId: 'svc-b', appPort: standIn.port, registryDir });
    svcA = await startDaprApp({ appId: 'svc-a', rootModule: AppModule, registryDir });
  });
  afterAll(async () => {
    await svcA?.stop();
    await svcBSidecar?.stop();
    await standIn?.close();
  });

  it('GET /api-a1 returns what svc-b’s api-b1 returned', async () => {
    svcBFails = false;
    const res = await fetch(`${svcA.url}/api-a1`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(API_B1_RESPONSE);
    expect(standIn.requests.at(-1)).toMatchObject({ method: 'GET', url: '/api-b1' });
  });

  it('passes svc-b’s error status and body on', async () => {
    svcBFails = true;
    const res = await fetch(`${svcA.url}/api-a1`);
    expect({ status: res.status, body: await res.text() }).toEqual({ status: 500, body: 'svc-b exploded' });
  });
});
