import { parseKustomization } from '../kustomize/kustomization';
import type { Problem } from '../problems';
import type { RepoFiles } from '../repo';
import { SKAFFOLD_FILE, type SkaffoldConfig } from '../skaffold/config';
import { isRecord, parseDocuments } from '../yaml-docs';

export const COMPONENT_ENVS = ['minikube', 'eks'];

/**
 * Each environment's Dapr files are listed twice (a ConfigMap for our sidecar, objects for real Dapr): both lists
 * name every file of the folder. The Subscriptions are the same in every environment (only brokers differ).
 */
export function checkComponentLayout(files: RepoFiles): Problem[] {
  const problems: Problem[] = [];
  const subscriptionsByEnv = new Map<string, string>();
  for (const env of COMPONENT_ENVS) {
    const dir = `k8s/components/${env}`;
    const onDisk = files.list(`${dir}/resources`).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml').sort();
    const generatorFile = `${dir}/kustomization.yaml`;
    const objectsFile = `${dir}/resources/kustomization.yaml`;
    const generated = (parseKustomization(files.read(generatorFile), generatorFile).configMapGenerator ?? []).flatMap((g) => g.files ?? []).map((f) => f.replace(/^resources\//, '')).sort();
    const objects = (parseKustomization(files.read(objectsFile), objectsFile).resources ?? []).slice().sort();
    if (generated.join() !== onDisk.join()) problems.push({ file: generatorFile, field: 'configMapGenerator[0].files', message: `lists ${generated.join(', ')} but ${dir}/resources holds ${onDisk.join(', ')}` });
    if (objects.join() !== onDisk.join()) problems.push({ file: objectsFile, field: 'resources', message: `lists ${objects.join(', ')} but the folder holds ${onDisk.join(', ')}` });
    const subscriptions = onDisk
      .flatMap((f) => parseDocuments(files.read(`${dir}/resources/${f}`), `${dir}/resources/${f}`))
      .filter((d) => isRecord(d.value) && d.value['kind'] === 'Subscription')
      .map((d) => JSON.stringify(d.value))
      .sort()
      .join('\n');
    subscriptionsByEnv.set(env, subscriptions);
  }
  const [first, ...others] = COMPONENT_ENVS;
  for (const env of others) {
    if (subscriptionsByEnv.get(env) !== subscriptionsByEnv.get(first!)) {
      problems.push({ file: `k8s/components/${env}/resources`, field: 'Subscription', message: `the Subscriptions differ from k8s/components/${first}/resources; apps subscribe the same way everywhere` });
    }
  }
  return problems;
}

/** `skaffold dev` on minikube picks the minikube profile by itself. */
export function checkSkaffoldProfiles(config: SkaffoldConfig): Problem[] {
  const profiles = (Array.isArray(config['profiles']) ? config['profiles'] : []).filter(isRecord);
  const minikube = profiles.findIndex((p) => p['name'] === 'minikube');
  if (minikube < 0) return [{ file: SKAFFOLD_FILE, field: 'profiles', message: 'needs a minikube profile' }];
  const activation = profiles[minikube]!['activation'];
  const byContext = Array.isArray(activation) && activation.some((a) => isRecord(a) && a['kubeContext'] === 'minikube');
  return byContext ? [] : [{ file: SKAFFOLD_FILE, field: `profiles[${minikube}].activation`, message: 'must activate on kubeContext minikube' }];
}
