import { API_B1_RESPONSE, HEALTH_ROUTE, SIDECAR_METADATA_ROUTE } from '@repo/contracts';
import { AppModule } from '../src/app.module';
import { newRegistryDir, startDaprApp, type RunningDaprApp } from './support';

describe('svc-b behind its sidecar', () => {
  let svcB: RunningDaprApp;

  beforeAll(async () => {
    svcB = await startDaprApp({ appId: 'svc-b', rootModule: AppModule, registryDir: newRegistryDir() });
  });
  afterAll(() => svcB?.stop());

  it('answers api-b1 invoked through the sidecar with the article’s text', async () => {
    const res = await fetch(`${svcB.daprUrl}/v1.0/invoke/svc-b/method/api-b1`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(API_B1_RESPONSE);
  });

  it('reports healthy once its sidecar is reachable', async () => {
    const res = await fetch(svcB.url + HEALTH_ROUTE);
    expect(res.status).toBe(200);
  });

  it('answers the metadata route with its own sidecar’s metadata', async () => {
    const res = await fetch(svcB.url + SIDECAR_METADATA_ROUTE);
    expect(await res.json()).toMatchObject({ id: 'svc-b' });
  });
});
