import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderOverlays } from '../src/checks';
import { assembleImage, type AssembledImage } from '../src/docker/emulate';
import { parseDockerfile } from '../src/docker/dockerfile';
import { REPO_ROOT, repoFiles } from '../src/repo';
import { readDaprRunFile } from '../src/workspace';
import { startPod, type Pod } from './support/pod';
import { freePort, httpStatus, runProcess, startProcess, waitFor, type RunningProcess } from './support/processes';

/**
 * Each image's command, run outside Docker: the final stage's files assembled from its Dockerfile (production
 * dependencies only, as package-lock.json and the Dockerfile's `npm ci` flags select them, plus the built output
 * the Dockerfile copies), started with the image's WORKDIR, ENV and command and the Kubernetes container's env.
 * `npm test` builds every app and the sidecar first (the manifests project depends on them).
 */
const files = repoFiles();
const overlay = renderOverlays(files).overlays.find((o) => o.name === 'minikube')!;
const apps = readDaprRunFile(files);

function assemble(dockerfile: string, built: string): AssembledImage {
  if (!existsSync(path.join(REPO_ROOT, built))) throw new Error(`${built} is missing: build first (npx nx run-many -t build)`);
  return assembleImage(parseDockerfile(files.read(dockerfile), dockerfile));
}

let sidecarImage: AssembledImage;
let nats: RunningProcess;
let natsUrl: string;
let natsDir: string;

beforeAll(async () => {
  sidecarImage = assemble('libs/sidecar/Dockerfile', 'libs/sidecar/dist/cli.js');
  const port = await freePort();
  natsDir = mkdtempSync(path.join(os.tmpdir(), 'manifests-nats-'));
  nats = startProcess('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', natsDir], { cwd: natsDir, env: process.env });
  natsUrl = `nats://127.0.0.1:${port}`;
  await waitFor('nats-server', async () => /Server is ready/.test(nats.output()), 20_000, () => nats.output());
});

afterAll(async () => {
  await nats?.stop();
  rmSync(natsDir, { recursive: true, force: true });
  sidecarImage?.remove();
});

describe('the sidecar image', () => {
  it('runs the sidecar command: with no arguments it prints the usage and exits 0', async () => {
    const { runtime } = sidecarImage;
    const [command, ...args] = [...runtime.entrypoint, ...runtime.cmd];
    const { code, output } = await runProcess(command === 'node' ? process.execPath : command!, args, { cwd: sidecarImage.workdir, env: { PATH: process.env['PATH'] ?? '', ...runtime.env } });
    expect(output).toContain('Usage: sidecar --app-id <id>');
    expect(code).toBe(0);
  });
});

describe.each(apps.map((a) => [a.appID, a] as const))('the %s pod, from its two images', (appId, app) => {
  let appImage: AssembledImage;
  let pod: Pod;

  beforeAll(async () => {
    appImage = assemble(`${app.appDirPath}/Dockerfile`, `${app.appDirPath}/dist`);
    pod = await startPod(overlay, appId, { app: appImage, sidecar: sidecarImage }, { 'redisHost=redis:6379': '127.0.0.1:6379', 'natsURL=nats://nats:4222': natsUrl });
  });

  afterAll(async () => {
    await pod?.stop();
    appImage?.remove();
  });

  it('starts, and both containers answer kubelet’s probes', async () => {
    const output = () => `--- app ---\n${pod.app.process?.output()}\n--- sidecar ---\n${pod.sidecar.process.output()}`;
    for (const [who, probe, ok] of [
      ['app readiness', pod.app.probe.readiness, 200],
      ['sidecar readiness', pod.sidecar.probe.readiness, 204],
      ['app liveness', pod.app.probe.liveness, 200],
      ['sidecar liveness', pod.sidecar.probe.liveness, 204],
    ] as const) {
      await waitFor(`${appId}'s ${who} probe ${probe.path}`, async () => (await httpStatus(`http://127.0.0.1:${pod.hostPort(probe.port!)}${probe.path}`)) === ok, 30_000, output);
    }
  }, 150_000);
});
