import { parseCommandLine, type SidecarOptions } from '@repo/sidecar';
import { containersOf, podSpecOf, podTemplateOf, type ContainerRef, type RenderedResource } from '../kustomize/resource';
import { isRecord } from '../yaml-docs';

/** Container names of the convention in k8s/base: the app, and our Dapr-compatible sidecar beside it. */
export const APP_CONTAINER = 'app';
export const SIDECAR_CONTAINER = 'sidecar';

export function container(r: RenderedResource, name: string): ContainerRef | undefined {
  return containersOf(r.object).find((c) => c.container['name'] === name);
}

export function templateLabels(r: RenderedResource): Record<string, string> {
  const meta = podTemplateOf(r.object)?.template['metadata'];
  return isRecord(meta) && isRecord(meta['labels']) ? (meta['labels'] as Record<string, string>) : {};
}

export function templateAnnotations(r: RenderedResource): Record<string, string> {
  const meta = podTemplateOf(r.object)?.template['metadata'];
  return isRecord(meta) && isRecord(meta['annotations']) ? (meta['annotations'] as Record<string, string>) : {};
}

/** Literal env values of a container (`value:`), which is what a process started from it sees. */
export function literalEnv(c: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of Array.isArray(c['env']) ? c['env'] : []) {
    if (isRecord(e) && typeof e['name'] === 'string' && typeof e['value'] === 'string') out[e['name']] = e['value'];
  }
  return out;
}

export function envEntry(c: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  return (Array.isArray(c['env']) ? c['env'] : []).find((e): e is Record<string, unknown> => isRecord(e) && e['name'] === name);
}

/** A container port by number or name → its number. */
export function resolvePort(c: Record<string, unknown>, port: unknown): number | undefined {
  if (typeof port === 'number') return port;
  const found = (Array.isArray(c['ports']) ? c['ports'] : []).find((p) => isRecord(p) && p['name'] === port);
  return isRecord(found) && typeof found['containerPort'] === 'number' ? found['containerPort'] : undefined;
}

export function containerPorts(c: Record<string, unknown>): number[] {
  return (Array.isArray(c['ports']) ? c['ports'] : []).filter(isRecord).map((p) => Number(p['containerPort']));
}

export interface HttpProbe {
  path?: string;
  port?: number;
}

export function httpProbe(c: Record<string, unknown>, kind: 'readinessProbe' | 'livenessProbe'): HttpProbe | undefined {
  const probe = c[kind];
  if (!isRecord(probe) || !isRecord(probe['httpGet'])) return undefined;
  const get = probe['httpGet'];
  return { path: typeof get['path'] === 'string' ? get['path'] : undefined, port: resolvePort(c, get['port']) };
}

/** The sidecar's options exactly as its command line parses the container's args (and literal env). */
export function sidecarOptions(c: Record<string, unknown>): SidecarOptions | Error {
  const args = Array.isArray(c['args']) ? c['args'].map(String) : [];
  try {
    const options = parseCommandLine(args, literalEnv(c));
    return typeof options === 'string' ? new Error(`the args ask for --${options} instead of running the sidecar`) : options;
  } catch (err) {
    return err as Error;
  }
}

export interface VolumeSource {
  mountPath: string;
  volume: Record<string, unknown>;
}

/** What is mounted at a path in a container: the pod volume behind the volumeMount. */
export function volumeAt(r: RenderedResource, c: Record<string, unknown>, mountPath: string): VolumeSource | undefined {
  const mount = (Array.isArray(c['volumeMounts']) ? c['volumeMounts'] : []).find((m) => isRecord(m) && m['mountPath'] === mountPath);
  if (!isRecord(mount)) return undefined;
  const volumes = podSpecOf(r.object)?.['volumes'];
  const volume = (Array.isArray(volumes) ? volumes : []).find((v) => isRecord(v) && v['name'] === mount['name']);
  return isRecord(volume) ? { mountPath, volume } : undefined;
}
