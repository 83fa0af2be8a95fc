import { ManifestError } from '../problems';
import { isRecord } from '../yaml-docs';

/** A Kubernetes object as plain data. */
export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** One object of a rendered kustomization, with where it came from so a problem can name the file to fix. */
export interface RenderedResource {
  object: KObject;
  /** The file that declared it, or the kustomization.yaml that generated it. */
  origin: { file: string; document: number };
  /** The name before kustomize appended a content hash (generated ConfigMaps). */
  originalName: string;
  /** Files whose patches changed it, in order. */
  patchedBy: string[];
  /** Generated ConfigMaps: data key → the file it was read from. */
  sources?: Record<string, string>;
  /** Generated ConfigMaps get `-<hash>` appended to their name at the end of the build, as kustomize does. */
  hashSuffix?: boolean;
}

/** Kinds that live outside namespaces (the ones this repository could use). */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'StorageClass', 'PersistentVolume', 'PriorityClass']);

export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

export function versionOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
}

/** kustomize's effective namespace: empty means `default` for namespaced kinds. */
export function effectiveNamespace(kind: string, namespace: string | undefined): string {
  if (CLUSTER_SCOPED.has(kind)) return '';
  return namespace || 'default';
}

/** `Deployment dapr-template/order`, as messages name an object. */
export function describe(o: KObject): string {
  const ns = effectiveNamespace(o.kind, o.metadata.namespace);
  return `${o.kind} ${ns ? `${ns}/` : ''}${o.metadata.name}`;
}

/** kustomize's resource id: group, version, kind, namespace and name. */
export function idOf(o: KObject, name = o.metadata.name): string {
  return [groupOf(o.apiVersion), versionOf(o.apiVersion), o.kind, effectiveNamespace(o.kind, o.metadata.namespace), name].join('|');
}

/** Checks the shape every object must have before any transformer touches it. */
export function asObject(value: unknown, file: string, document: number): KObject {
  const where = `document ${document}`;
  if (!isRecord(value)) throw new ManifestError(file, where, 'a resource must be a YAML mapping');
  const { apiVersion, kind, metadata } = value;
  if (typeof apiVersion !== 'string' || !apiVersion) throw new ManifestError(file, `${where}: apiVersion`, 'is required');
  if (typeof kind !== 'string' || !kind) throw new ManifestError(file, `${where}: kind`, 'is required');
  if (!isRecord(metadata) || typeof metadata['name'] !== 'string' || !metadata['name']) {
    throw new ManifestError(file, `${where}: metadata.name`, 'is required');
  }
  return value as KObject;
}

/** Workload kinds and where their pod template sits. */
const POD_TEMPLATE_PATHS: Record<string, string[]> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** The pod template of a workload (with its path, for messages), or undefined for other kinds. */
export function podTemplateOf(o: KObject): { template: Record<string, unknown>; path: string[] } | undefined {
  const p = POD_TEMPLATE_PATHS[o.kind];
  if (!p) return undefined;
  let node: unknown = o;
  for (const key of p) node = isRecord(node) ? node[key] : undefined;
  return isRecord(node) ? { template: node, path: p } : undefined;
}

export interface ContainerRef {
  container: Record<string, unknown>;
  /** e.g. `spec.template.spec.containers[sidecar]`. */
  path: string;
}

/** Every container and init container of a workload's pod template. */
export function containersOf(o: KObject): ContainerRef[] {
  const found = podTemplateOf(o);
  if (!found || !isRecord(found.template['spec'])) return [];
  const spec = found.template['spec'];
  const out: ContainerRef[] = [];
  for (const list of ['initContainers', 'containers']) {
    const items = spec[list];
    if (!Array.isArray(items)) continue;
    for (const c of items) {
      if (isRecord(c)) out.push({ container: c, path: `${found.path.join('.')}.spec.${list}[${String(c['name'])}]` });
    }
  }
  return out;
}

export function podSpecOf(o: KObject): Record<string, unknown> | undefined {
  const found = podTemplateOf(o);
  return found && isRecord(found.template['spec']) ? found.template['spec'] : undefined;
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}
