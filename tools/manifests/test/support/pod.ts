import type { Server } from 'node:http';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { APP_CONTAINER, container, httpProbe, literalEnv, SIDECAR_CONTAINER, volumeAt, type HttpProbe } from '../../src/checks/pods';
import type { Overlay } from '../../src/checks/overlays';
import { IMAGE_ROOT } from '../../src/checks/dockerfiles';
import type { Runtime } from '../../src/docker/dockerfile';
import type { RenderedResource } from '../../src/kustomize/resource';
import { REPO_ROOT } from '../../src/repo';
import { configMapFiles } from '../../src/validate/dapr';
import { isRecord } from '../../src/yaml-docs';
import { mountConfigMap, withLocalEndpoints } from './kubelet';
import { freePort, startProcess, startStubApp, type RunningProcess } from './processes';

/** Where a container's command runs on this machine: an assembled image, or the working tree for the image's paths. */
export interface ImageOnHost {
  runtime: Runtime;
  /** Host directory standing for the image's `/`; the working tree when the image is its own repository copy. */
  root?: string;
}

export interface Pod {
  deployment: RenderedResource;
  /** Host ports standing for the pod's container ports (e.g. 5004 → a free port). */
  ports: Map<number, number>;
  app: { probe: { readiness: HttpProbe; liveness: HttpProbe }; process?: RunningProcess };
  sidecar: { args: string[]; probe: { readiness: HttpProbe; liveness: HttpProbe }; process: RunningProcess };
  hostPort(podPort: number): number;
  stop(): Promise<void>;
}

/**
 * Starts one pod of a rendered overlay on this machine: each container's image command (ENTRYPOINT, CMD, WORKDIR,
 * ENV) with the container's own args and env, the ConfigMap mounted as kubelet mounts it, every container port
 * moved to a free host port (in args and env alike) and the in-cluster endpoints pointed at local servers.
 * `app: 'stub'` puts a stand-in in place of the app container.
 */
export async function startPod(
  overlay: Overlay,
  appId: string,
  images: { app: ImageOnHost | 'stub'; sidecar: ImageOnHost },
  endpoints: Record<string, string>,
): Promise<Pod> {
  const deployment = overlay.resources.find((r) => r.object.kind === 'Deployment' && r.object.metadata.name === appId);
  if (!deployment) throw new Error(`${overlay.dir} has no Deployment ${appId}`);
  const app = container(deployment, APP_CONTAINER)!.container;
  const sidecar = container(deployment, SIDECAR_CONTAINER)!.container;
  const ports = new Map<number, number>();
  for (const c of [app, sidecar]) {
    for (const p of (c['ports'] as { containerPort: number }[] | undefined) ?? []) ports.set(p.containerPort, await freePort());
  }
  const translate = (value: string) => (ports.has(Number(value)) && /^\d+$/.test(value) ? String(ports.get(Number(value))) : value);

  const args = ((sidecar['args'] as unknown[]) ?? []).map((a) => translate(String(a)));
  const resourcesAt = args.indexOf('--resources-path');
  const mountPath = String((sidecar['args'] as unknown[])[resourcesAt + 1]);
  const volume = volumeAt(deployment, sidecar, mountPath)!.volume;
  const configMap = overlay.resources.find((r) => r.object.kind === 'ConfigMap' && r.object.metadata.name === (volume['configMap'] as Record<string, unknown>)['name'])!;
  const mountDir = mountConfigMap(configMapFiles(configMap).map((f) => ({ name: f.name, text: withLocalEndpoints(f.text, endpoints) })));
  args[resourcesAt + 1] = mountDir;

  const podEnv = { NAMESPACE: deployment.object.metadata.namespace!, POD_NAME: `${appId}-0` };
  const envOf = (c: Record<string, unknown>) => Object.fromEntries(Object.entries(literalEnv(c)).map(([k, v]) => [k, translate(v)]));
  const sidecarProcess = launch(images.sidecar, args, { ...envOf(sidecar), ...fieldRefs(sidecar, podEnv) });

  let stub: Server | undefined;
  let appProcess: RunningProcess | undefined;
  const appPort = (app['ports'] as { containerPort: number }[])[0]!.containerPort;
  if (images.app === 'stub') stub = await startStubApp(ports.get(appPort)!);
  else appProcess = launch(images.app, [], { ...envOf(app), ...fieldRefs(app, podEnv) });

  return {
    deployment,
    ports,
    hostPort: (podPort) => ports.get(podPort) ?? podPort,
    app: { probe: { readiness: httpProbe(app, 'readinessProbe')!, liveness: httpProbe(app, 'livenessProbe')! }, process: appProcess },
    sidecar: { args, probe: { readiness: httpProbe(sidecar, 'readinessProbe')!, liveness: httpProbe(sidecar, 'livenessProbe')! }, process: sidecarProcess },
    stop: async () => {
      await Promise.all([sidecarProcess.stop(), appProcess?.stop()]);
      if (stub) await new Promise((r) => stub!.close(r));
      rmSync(mountDir, { recursive: true, force: true });
    },
  };
}

/** The env a container's `valueFrom.fieldRef` entries get from the pod. */
function fieldRefs(c: Record<string, unknown>, pod: { NAMESPACE: string; POD_NAME: string }): Record<string, string> {
  const values: Record<string, string> = { 'metadata.namespace': pod.NAMESPACE, 'metadata.name': pod.POD_NAME };
  const out: Record<string, string> = {};
  for (const e of (c['env'] as unknown[]) ?? []) {
    if (!isRecord(e) || !isRecord(e['valueFrom']) || !isRecord(e['valueFrom']['fieldRef'])) continue;
    const value = values[String(e['valueFrom']['fieldRef']['fieldPath'])];
    if (value !== undefined) out[String(e['name'])] = value;
  }
  return out;
}

/** Runs an image's command the way the container runtime does: ENTRYPOINT + (args or CMD), in WORKDIR, with ENV. */
function launch(image: ImageOnHost, args: string[], env: Record<string, string>): RunningProcess {
  const { runtime } = image;
  const command = [...runtime.entrypoint, ...(args.length > 0 ? args : runtime.cmd)];
  const cwd = image.root ? path.join(image.root, runtime.workdir) : path.join(REPO_ROOT, path.posix.relative(IMAGE_ROOT, runtime.workdir));
  // `node` in the image is this machine's node.
  const executable = command[0] === 'node' ? process.execPath : command[0]!;
  return startProcess(executable, command.slice(1), { cwd, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...runtime.env, ...env } });
}
