import { containersOf, podSpecOf, podTemplateOf, type RenderedResource } from '../kustomize/resource';
import type { Problem } from '../problems';
import { isKubernetesKind, validateKubernetesObject } from '../validate/kubernetes';
import { isRecord } from '../yaml-docs';
import { byKind, findObject, problemAt, type Overlay } from './overlays';
import { templateLabels } from './pods';

export const PART_OF = 'app.kubernetes.io/part-of';
export const NAME_LABEL = 'app.kubernetes.io/name';
const WORKLOADS = new Set(['Deployment', 'Job']);

/** Schema, labels, namespaces, pod security, resources and probes of every object of an overlay. */
export function checkWorkloads(overlay: Overlay): Problem[] {
  const problems: Problem[] = [];
  const namespaces = new Set(byKind(overlay, 'Namespace').map((r) => r.object.metadata.name));
  for (const r of overlay.resources) {
    const o = r.object;
    if (isKubernetesKind(o.apiVersion)) problems.push(...validateKubernetesObject(r));
    if (!o.metadata.labels?.[PART_OF]) problems.push(problemAt(r, `metadata.labels.${PART_OF}`, 'is missing'));
    if (o.kind !== 'Namespace' && !namespaces.has(o.metadata.namespace ?? '')) {
      problems.push(problemAt(r, 'metadata.namespace', `${o.metadata.namespace ?? '(none)'} is not a Namespace of this overlay`));
    }
    if (WORKLOADS.has(o.kind)) problems.push(...checkPod(r, overlay));
  }
  return problems;
}

function checkPod(r: RenderedResource, overlay: Overlay): Problem[] {
  const problems: Problem[] = [];
  const spec = podSpecOf(r.object) ?? {};
  const template = podTemplateOf(r.object)!.path.join('.');
  const add = (field: string, message: string) => problems.push(problemAt(r, field, message, true));
  if (!r.object.metadata.labels?.[NAME_LABEL]) add(`metadata.labels.${NAME_LABEL}`, 'is missing');
  if (!templateLabels(r)[NAME_LABEL]) add(`${template}.metadata.labels.${NAME_LABEL}`, 'is missing');

  const podSecurity = isRecord(spec['securityContext']) ? spec['securityContext'] : {};
  if (podSecurity['runAsNonRoot'] !== true) add(`${template}.spec.securityContext.runAsNonRoot`, 'must be true');
  if (typeof podSecurity['runAsUser'] !== 'number' || podSecurity['runAsUser'] === 0) add(`${template}.spec.securityContext.runAsUser`, 'must be a non-zero user id');
  const seccomp = isRecord(podSecurity['seccompProfile']) ? podSecurity['seccompProfile']['type'] : undefined;
  if (seccomp !== 'RuntimeDefault') add(`${template}.spec.securityContext.seccompProfile.type`, 'must be RuntimeDefault');

  const account = spec['serviceAccountName'];
  if (typeof account === 'string' && !findObject(overlay, 'ServiceAccount', account, r.object.metadata.namespace)) {
    add(`${template}.spec.serviceAccountName`, `ServiceAccount ${account} is not in this overlay`);
  }
  for (const { container, path } of containersOf(r.object)) {
    const security = isRecord(container['securityContext']) ? container['securityContext'] : {};
    if (security['allowPrivilegeEscalation'] !== false) add(`${path}.securityContext.allowPrivilegeEscalation`, 'must be false');
    if (security['readOnlyRootFilesystem'] !== true) add(`${path}.securityContext.readOnlyRootFilesystem`, 'must be true');
    const drop = isRecord(security['capabilities']) && Array.isArray(security['capabilities']['drop']) ? security['capabilities']['drop'] : [];
    if (!drop.includes('ALL')) add(`${path}.securityContext.capabilities.drop`, 'must include ALL');
    const resources = isRecord(container['resources']) ? container['resources'] : {};
    for (const [section, keys] of [['requests', ['cpu', 'memory']], ['limits', ['cpu', 'memory']]] as const) {
      const values = isRecord(resources[section]) ? resources[section] : {};
      for (const key of keys) if (values[key] === undefined) add(`${path}.resources.${section}.${key}`, 'is missing');
    }
    if (r.object.kind === 'Deployment') {
      for (const probe of ['readinessProbe', 'livenessProbe']) if (!isRecord(container[probe])) add(`${path}.${probe}`, 'is missing');
    }
  }
  return problems;
}

/** A workload whose pod reads Secrets (our sidecar's secret store) needs its ServiceAccount bound to `get secrets`. */
export function canGetSecrets(overlay: Overlay, namespace: string, serviceAccount: string): boolean {
  return byKind(overlay, 'RoleBinding').some((b) => {
    const o = b.object as Record<string, unknown> & typeof b.object;
    if ((o.metadata.namespace ?? 'default') !== namespace) return false;
    const subjects = Array.isArray(o['subjects']) ? o['subjects'] : [];
    const bound = subjects.some((s) => isRecord(s) && s['kind'] === 'ServiceAccount' && s['name'] === serviceAccount && (s['namespace'] ?? namespace) === namespace);
    const ref = isRecord(o['roleRef']) ? o['roleRef'] : {};
    if (!bound || ref['kind'] !== 'Role') return false;
    const role = findObject(overlay, 'Role', String(ref['name']), namespace);
    const rules = role && Array.isArray(role.object['rules']) ? role.object['rules'] : [];
    return rules.some(
      (rule) =>
        isRecord(rule) &&
        Array.isArray(rule['apiGroups']) && rule['apiGroups'].includes('') &&
        Array.isArray(rule['resources']) && rule['resources'].includes('secrets') &&
        Array.isArray(rule['verbs']) && rule['verbs'].includes('get'),
    );
  });
}
