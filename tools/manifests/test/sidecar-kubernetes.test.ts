import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { renderOverlays } from '../src/checks';
import { parseDockerfile, runtimeOf } from '../src/docker/dockerfile';
import { configMapFiles } from '../src/validate/dapr';
import { repoFiles } from '../src/repo';
import { readDaprRunFile } from '../src/workspace';
import { isRecord } from '../src/yaml-docs';
import { startPod, type Pod } from './support/pod';
import { freePort, httpStatus, startProcess, waitFor, type RunningProcess } from './support/processes';

/**
 * The sidecar as a minikube pod runs it: the sidecar image's command with the container's own args from the rendered
 * overlay, its Component and Subscription files mounted the way kubelet mounts a ConfigMap, `--mode kubernetes`, and
 * kubelet's probes. Only what a machine outside the cluster needs changes: ports (to free ones), `redis:6379` (the
 * test Redis) and `nats://nats:4222` (a NATS server this test starts). The app is a stand-in here.
 */
const files = repoFiles();
const overlay = renderOverlays(files).overlays.find((o) => o.name === 'minikube')!;
const apps = readDaprRunFile(files);
const sidecarImage = { runtime: runtimeOf(parseDockerfile(files.read('libs/sidecar/Dockerfile'), 'libs/sidecar/Dockerfile')) };

let nats: RunningProcess;
let natsUrl: string;
let natsDir: string;

beforeAll(async () => {
  const port = await freePort();
  natsDir = mkdtempSync(path.join(os.tmpdir(), 'manifests-nats-'));
  nats = startProcess('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', natsDir], { cwd: natsDir, env: process.env });
  natsUrl = `nats://127.0.0.1:${port}`;
  await waitFor('nats-server', async () => /Server is ready/.test(nats.output()), 20_000, () => nats.output());
});

afterAll(async () => {
  await nats?.stop();
  rmSync(natsDir, { recursive: true, force: true });
});

describe.each(apps.map((a) => [a.appID] as const))('the %s pod’s sidecar in --mode kubernetes', (appId) => {
  let pod: Pod;

  beforeAll(async () => {
    pod = await startPod(overlay, appId, { app: 'stub', sidecar: sidecarImage }, { 'redisHost=redis:6379': '127.0.0.1:6379', 'natsURL=nats://nats:4222': natsUrl });
  });

  afterAll(async () => {
    await pod?.stop();
  });

  const url = (podPort: number, p: string) => `http://127.0.0.1:${pod.hostPort(podPort)}${p}`;
  const apiPort = () => Number(pod.sidecar.args[pod.sidecar.args.indexOf('--dapr-http-port') + 1]);

  it('answers kubelet’s readiness and liveness probes', async () => {
    const { readiness, liveness } = pod.sidecar.probe;
    await waitFor(`${appId}'s sidecar readiness probe`, async () => (await httpStatus(url(readiness.port!, readiness.path!))) === 204, 30_000, () => pod.sidecar.process.output());
    expect(await httpStatus(url(liveness.port!, liveness.path!))).toBe(204);
  });

  it('loads the components and subscriptions scoped to it from the mounted ConfigMap', async () => {
    await waitFor(`${appId}'s sidecar`, async () => (await httpStatus(`http://127.0.0.1:${apiPort()}/v1.0/healthz`)) === 204, 30_000, () => pod.sidecar.process.output());
    const metadata = (await (await fetch(`http://127.0.0.1:${apiPort()}/v1.0/metadata`)).json()) as { id: string; components: { name: string }[]; subscriptions?: { topic: string }[] };
    const configMap = overlay.resources.find((r) => r.object.kind === 'ConfigMap')!;
    const declared = configMapFiles(configMap).flatMap((f) => f.text.split(/^---$/m).map((t) => parse(t) as unknown).filter(isRecord));
    const forApp = (kind: string) => declared.filter((d) => d['kind'] === kind && (!Array.isArray(d['scopes']) || d['scopes'].includes(appId)));
    const components = forApp('Component').map((d) => (d['metadata'] as { name: string }).name);
    // In Kubernetes mode the sidecar, like daprd, adds the `kubernetes` secret store unless a Component takes the name.
    const builtIn = components.includes('kubernetes') ? [] : ['kubernetes'];
    expect(metadata.id).toBe(appId);
    expect(metadata.components.map((c) => c.name).sort()).toEqual([...components, ...builtIn].sort());
    expect((metadata.subscriptions ?? []).map((s) => s.topic).sort()).toEqual(forApp('Subscription').map((d) => (d['spec'] as { topic: string }).topic).sort());
  });

  it('serves only health and metadata on its public port, which listens on every address', async () => {
    const publicPort = pod.sidecar.probe.readiness.port!;
    expect(await httpStatus(url(publicPort, '/v1.0/metadata'))).toBe(200);
    expect(await httpStatus(url(publicPort, '/v1.0/state/any/key'))).toBe(404);
    expect(pod.sidecar.process.output()).toContain(`0.0.0.0:${pod.hostPort(publicPort)}`);
  });
});
