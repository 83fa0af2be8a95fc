import path from 'node:path';
// The manifest tests' kustomize renderer (tools/manifests) renders the overlay for the mocked Kubernetes provider,
// which runs the real kustomize in `pulumi up`. Test support only: the program itself never imports it.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { buildKustomization } from '../../../tools/manifests/src/kustomize/build';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { repoFiles } from '../../../tools/manifests/src/repo';
import { REPO_ROOT } from './stack-config';

/** `kustomize build <directory>`, as the objects the Kubernetes provider hands the program. */
export function renderOverlay(directory: string): Record<string, unknown>[] {
  const objects = buildKustomization(path.relative(REPO_ROOT, directory), repoFiles()).map((r) => r.object);
  // The renderer copies with structuredClone, whose arrays belong to Node's realm rather than Jest's; the mock
  // engine's protobuf encoding would take them for objects. A JSON round trip makes plain arrays of this realm.
  return JSON.parse(JSON.stringify(objects)) as Record<string, unknown>[];
}
