import { isRecord } from '../yaml-docs';
import { groupOf, type KObject } from './resource';

/**
 * Kubernetes' strategic merge patch, as kustomize applies it: maps merge key by key (`null` deletes a key),
 * `$patch: delete` removes a map or a list item, `$patch: replace` replaces a map, and the lists Kubernetes gives a
 * merge key are merged item by item; every other list is replaced. Custom resources (no schema) merge like JSON
 * merge patch: their lists are replaced.
 */
export function applyStrategicMerge(target: KObject, patch: Record<string, unknown>): KObject | undefined {
  const merged = merge(target, patch, BUILTIN_GROUPS.has(groupOf(target.apiVersion)));
  if (merged === undefined) return undefined;
  const out = merged as KObject;
  // kustomize keeps the target's identity; a patch cannot rename or move an object.
  out.apiVersion = target.apiVersion;
  out.kind = target.kind;
  out.metadata = { ...out.metadata, name: target.metadata.name };
  if (target.metadata.namespace === undefined) delete out.metadata.namespace;
  else out.metadata.namespace = target.metadata.namespace;
  return out;
}

const BUILTIN_GROUPS = new Set(['', 'apps', 'batch', 'policy', 'rbac.authorization.k8s.io', 'networking.k8s.io', 'autoscaling']);

/** `x-kubernetes-patch-merge-key` of the core lists a patch here can touch. */
function mergeKeyOf(list: string, items: unknown[]): string | undefined {
  switch (list) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'volumes':
    case 'imagePullSecrets':
    case 'env':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'ownerReferences':
      return 'uid';
    case 'hostAliases':
      return 'ip';
    // Container ports merge on containerPort, Service ports on port.
    case 'ports':
      return items.some((i) => isRecord(i) && 'containerPort' in i) ? 'containerPort' : 'port';
    default:
      return undefined;
  }
}

const DIRECTIVE = '$patch';

function merge(target: unknown, patch: unknown, schemaAware: boolean): unknown {
  if (!isRecord(patch)) return patch;
  const directive = patch[DIRECTIVE];
  if (directive === 'delete') return undefined;
  if (directive === 'replace' || !isRecord(target)) return withoutDirectives(patch);
  const out: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    if (value === null) {
      delete out[key];
    } else if (isRecord(value)) {
      const merged = merge(out[key], value, schemaAware);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    } else if (Array.isArray(value)) {
      out[key] = mergeList(key, out[key], value, schemaAware);
    } else {
      out[key] = value;
    }
  }
  return out;
}

function mergeList(name: string, target: unknown, patch: unknown[], schemaAware: boolean): unknown[] {
  const key = schemaAware && Array.isArray(target) ? mergeKeyOf(name, [...target, ...patch]) : undefined;
  if (!key || !Array.isArray(target)) return patch.filter((i) => !(isRecord(i) && i[DIRECTIVE] === 'delete')).map(withoutDirectives);
  const out = [...target];
  for (const item of patch) {
    if (!isRecord(item)) {
      out.push(item);
      continue;
    }
    const at = out.findIndex((existing) => isRecord(existing) && existing[key] === item[key]);
    if (item[DIRECTIVE] === 'delete') {
      if (at >= 0) out.splice(at, 1);
    } else if (at >= 0) {
      out[at] = merge(out[at], item, schemaAware);
    } else {
      out.push(withoutDirectives(item));
    }
  }
  return out;
}

/** Patch content that lands where the target has nothing: directives go, and so do `null`s (deletions of nothing). */
function withoutDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDirectives);
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([k, v]) => !k.startsWith('$') && v !== null).map(([k, v]) => [k, withoutDirectives(v)]));
}
