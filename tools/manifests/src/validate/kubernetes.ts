import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { RenderedResource } from '../kustomize/resource';
import { describe } from '../kustomize/resource';
import type { Problem } from '../problems';
import { createFieldChecker } from './strict-fields';

interface Model {
  new (data: never): { validate(): void };
}

/** The core kinds this repository may use, with their kubernetes-models class and type declaration. */
const MODELS: Record<string, { model: Model; types: string }> = {
  'v1/Namespace': { model: Namespace as unknown as Model, types: 'kubernetes-models/v1/Namespace' },
  'v1/ConfigMap': { model: ConfigMap as unknown as Model, types: 'kubernetes-models/v1/ConfigMap' },
  'v1/Secret': { model: Secret as unknown as Model, types: 'kubernetes-models/v1/Secret' },
  'v1/Service': { model: Service as unknown as Model, types: 'kubernetes-models/v1/Service' },
  'v1/ServiceAccount': { model: ServiceAccount as unknown as Model, types: 'kubernetes-models/v1/ServiceAccount' },
  'apps/v1/Deployment': { model: Deployment as unknown as Model, types: 'kubernetes-models/apps/v1/Deployment' },
  'batch/v1/Job': { model: Job as unknown as Model, types: 'kubernetes-models/batch/v1/Job' },
  'policy/v1/PodDisruptionBudget': { model: PodDisruptionBudget as unknown as Model, types: 'kubernetes-models/policy/v1/PodDisruptionBudget' },
  'rbac.authorization.k8s.io/v1/Role': { model: Role as unknown as Model, types: 'kubernetes-models/rbac.authorization.k8s.io/v1/Role' },
  'rbac.authorization.k8s.io/v1/RoleBinding': { model: RoleBinding as unknown as Model, types: 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding' },
};

const unknownFields = createFieldChecker(Object.values(MODELS).map((m) => m.types));

export function isKubernetesKind(apiVersion: string): boolean {
  return !apiVersion.startsWith('dapr.io/');
}

/**
 * Validates a core object against Kubernetes' schema (kubernetes-models' validate()) and refuses fields the schema
 * does not know. A kind without a model is a problem too, so a new kind is never waved through unchecked.
 */
export function validateKubernetesObject(r: RenderedResource): Problem[] {
  const o = r.object;
  const entry = MODELS[`${o.apiVersion}/${o.kind}`];
  const problem = (field: string, message: string): Problem => ({ file: r.origin.file, field, message: `${describe(o)}: ${message}` });
  if (!entry) return [problem('kind', `no Kubernetes schema for ${o.apiVersion} ${o.kind} here; add it to tools/manifests/src/validate/kubernetes.ts`)];
  const problems: Problem[] = [];
  try {
    new entry.model(o as never).validate();
  } catch (err) {
    const errors = (err as { errors?: { instancePath?: string; message?: string }[] }).errors;
    for (const e of errors ?? [{ instancePath: '', message: (err as Error).message }]) {
      problems.push(problem(pointerToField(e.instancePath ?? ''), e.message ?? 'is invalid'));
    }
  }
  const interfaceName = `I${o.kind}`;
  for (const field of unknownFields(o, entry.types, interfaceName)) problems.push(problem(field, 'is not a field of this kind'));
  return problems;
}

function pointerToField(pointer: string): string {
  return pointer
    .split('/')
    .filter(Boolean)
    .map((t) => (/^\d+$/.test(t) ? `[${t}]` : `.${t.replace(/~1/g, '/').replace(/~0/g, '~')}`))
    .join('')
    .replace(/^\./, '');
}
