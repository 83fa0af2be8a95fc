import { Module, type INestApplication } from '@nestjs/common';
import { DaprModule, runDaprApp } from '../src';
import { freePort, spawnSidecarOnPort, waitFor } from './support/sidecar';

describe('the app health route', () => {
  let app: INestApplication;
  let sidecar: { stop(): Promise<void> } | undefined;

  afterAll(async () => {
    await app?.close();
    await sidecar?.stop();
  });

  it('answers 503 until the sidecar’s outbound health answers, then 200', async () => {
    const daprHttpPort = await freePort();
    @Module({ imports: [DaprModule.forRoot({ httpPort: daprHttpPort })] })
    class AppModule {}
    app = await runDaprApp(AppModule, { port: 0, host: '127.0.0.1' });
    const url = `${await app.getUrl()}/healthz`;

    const before = await fetch(url);
    expect(before.status).toBe(503);

    sidecar = spawnSidecarOnPort('health-test', daprHttpPort);
    const after = await waitFor('the app to report ready', async () => {
      const res = await fetch(url);
      return res.status === 200 ? res.json() : undefined;
    });
    expect(after).toEqual({ status: 'ok' });
  });
});
