import { startSidecar, type SidecarProcess } from './support/sidecar-process';

describe('the built-in kubernetes secret store in --mode kubernetes', () => {
  let sidecar: SidecarProcess;

  beforeAll(async () => {
    const env: Record<string, string> = { NAMESPACE: 'shop' };
    sidecar = await startSidecar({ appId: 'k8s-app', args: ['--mode', 'kubernetes', '--dapr-internal-grpc-port', '0'], env });
  });
  afterAll(() => sidecar?.stop());

  it('is registered without a Component file, as daprd registers it', async () => {
    const metadata = (await (await fetch(`${sidecar.url}/v1.0/metadata`)).json()) as { components: { name: string; type: string }[] };
    expect(metadata.components).toContainEqual({ name: 'kubernetes', type: 'secretstores.kubernetes', version: 'v1' });
  });

  it('connects on first use, so outside a cluster only a secret request fails, with the reason', async () => {
    const res = await fetch(`${sidecar.url}/v1.0/secrets/kubernetes/db`);
    expect(res.status).toBe(500);
    const body = (await res.json()) as { errorCode: string; message: string };
    expect(body.errorCode).toBe('ERR_SECRET_GET');
    expect(body.message).toContain('KUBERNETES_SERVICE_HOST is not set');
  });
});
