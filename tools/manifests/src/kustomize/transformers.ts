import { isRecord } from '../yaml-docs';
import { configMapHash } from './hash';
import { containersOf, podSpecOf, podTemplateOf, type RenderedResource } from './resource';

export interface LabelsEntry {
  pairs: Record<string, string>;
  includeSelectors?: boolean;
  includeTemplates?: boolean;
}

/** kustomize's `labels`: on every object, and on pod templates and selectors when asked. */
export function applyLabels(resources: RenderedResource[], entry: LabelsEntry): void {
  for (const r of resources) {
    const o = r.object;
    o.metadata.labels = { ...o.metadata.labels, ...entry.pairs };
    if (!entry.includeTemplates && !entry.includeSelectors) continue;
    const template = podTemplateOf(o)?.template;
    if (template) {
      const meta = (isRecord(template['metadata']) ? template['metadata'] : (template['metadata'] = {})) as Record<string, unknown>;
      meta['labels'] = { ...(isRecord(meta['labels']) ? meta['labels'] : {}), ...entry.pairs };
    }
    if (!entry.includeSelectors) continue;
    const spec = o['spec'];
    if (!isRecord(spec)) continue;
    if (o.kind === 'Service') spec['selector'] = { ...(isRecord(spec['selector']) ? spec['selector'] : {}), ...entry.pairs };
    else if (template && isRecord(spec['selector'])) {
      const sel = spec['selector'];
      sel['matchLabels'] = { ...(isRecord(sel['matchLabels']) ? sel['matchLabels'] : {}), ...entry.pairs };
    }
  }
}

export interface ImageEntry {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

/** Splits `registry/name:tag@digest` into the name kustomize matches on and the rest. */
export function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const colon = rest.lastIndexOf(':');
  const tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : undefined;
  return { name: tag === undefined ? rest : rest.slice(0, colon), tag, digest };
}

/** kustomize's `images`: renames and retags the containers whose image name matches. */
export function applyImage(resources: RenderedResource[], entry: ImageEntry): void {
  for (const r of resources) {
    for (const { container } of containersOf(r.object)) {
      if (typeof container['image'] !== 'string') continue;
      const current = splitImage(container['image']);
      if (current.name !== entry.name) continue;
      const name = entry.newName ?? current.name;
      if (entry.digest) container['image'] = `${name}@${entry.digest}`;
      else if (entry.newTag) container['image'] = `${name}:${entry.newTag}`;
      else container['image'] = `${name}${current.tag ? `:${current.tag}` : ''}${current.digest ? `@${current.digest}` : ''}`;
    }
  }
}

/**
 * The last steps of `kustomize build`: generated ConfigMaps get their content hash appended to the name, and
 * every pod that refers to one by its old name (volumes, envFrom, configMapKeyRef) follows the rename.
 */
export function addNameHashes(resources: RenderedResource[]): void {
  const renamed = new Map<string, string>();
  for (const r of resources) {
    if (!r.hashSuffix || r.object.kind !== 'ConfigMap') continue;
    const o = r.object;
    const hash = configMapHash({ name: o.metadata.name, data: o['data'] as Record<string, string> | undefined, binaryData: o['binaryData'] as Record<string, string> | undefined });
    renamed.set(`${o.metadata.namespace ?? ''}/${o.metadata.name}`, `${o.metadata.name}-${hash}`);
    o.metadata.name = `${o.metadata.name}-${hash}`;
  }
  if (renamed.size === 0) return;
  for (const r of resources) {
    const spec = podSpecOf(r.object);
    if (!spec) continue;
    const rename = (holder: unknown, key: string) => {
      if (!isRecord(holder) || typeof holder[key] !== 'string') return;
      const next = renamed.get(`${r.object.metadata.namespace ?? ''}/${holder[key]}`);
      if (next) holder[key] = next;
    };
    for (const v of Array.isArray(spec['volumes']) ? spec['volumes'] : []) {
      if (!isRecord(v)) continue;
      rename(v['configMap'], 'name');
      const sources = isRecord(v['projected']) && Array.isArray(v['projected']['sources']) ? v['projected']['sources'] : [];
      for (const s of sources) if (isRecord(s)) rename(s['configMap'], 'name');
    }
    for (const { container } of containersOf(r.object)) {
      for (const e of Array.isArray(container['envFrom']) ? container['envFrom'] : []) if (isRecord(e)) rename(e['configMapRef'], 'name');
      for (const e of Array.isArray(container['env']) ? container['env'] : []) {
        if (isRecord(e) && isRecord(e['valueFrom'])) rename(e['valueFrom']['configMapKeyRef'], 'name');
      }
    }
  }
}

/** kustomize's default (`legacy`) output order: namespaces and RBAC first, workloads after what they use. */
const ORDER_FIRST = [
  'Namespace', 'ResourceQuota', 'StorageClass', 'CustomResourceDefinition', 'ServiceAccount', 'PodSecurityPolicy', 'Role',
  'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ConfigMap', 'Secret', 'Endpoints', 'Service', 'LimitRange',
  'PriorityClass', 'PersistentVolume', 'PersistentVolumeClaim', 'Deployment', 'StatefulSet', 'CronJob', 'PodDisruptionBudget',
];
const ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

export function sortLegacy(resources: RenderedResource[]): RenderedResource[] {
  const rank = (kind: string) => {
    const first = ORDER_FIRST.indexOf(kind);
    if (first >= 0) return first - ORDER_FIRST.length;
    const last = ORDER_LAST.indexOf(kind);
    return last >= 0 ? last + 1 : 0;
  };
  const key = (r: RenderedResource) => `${r.object.apiVersion}|${r.object.kind}|${r.object.metadata.namespace ?? ''}|${r.object.metadata.name}`;
  return [...resources].sort((a, b) => rank(a.object.kind) - rank(b.object.kind) || key(a).localeCompare(key(b)));
}
