import { buildKustomization } from '../kustomize/build';
import type { RenderedResource } from '../kustomize/resource';
import { collect, type Problem } from '../problems';
import type { RepoFiles } from '../repo';

export type OverlayName = 'minikube' | 'eks' | 'dapr';

export const OVERLAY_DIRS: Record<OverlayName, string> = {
  minikube: 'k8s/overlays/minikube',
  eks: 'k8s/overlays/eks',
  dapr: 'k8s/overlays/dapr',
};

export interface Overlay {
  name: OverlayName;
  dir: string;
  resources: RenderedResource[];
  /** True when our sidecar runs in the pods (false: real Dapr injects daprd). */
  ourSidecar: boolean;
}

export function renderOverlays(files: RepoFiles): { overlays: Overlay[]; problems: Problem[] } {
  const overlays: Overlay[] = [];
  const problems: Problem[] = [];
  for (const [name, dir] of Object.entries(OVERLAY_DIRS) as [OverlayName, string][]) {
    problems.push(
      ...collect(() => {
        overlays.push({ name, dir, resources: buildKustomization(dir, files), ourSidecar: name !== 'dapr' });
        return [];
      }),
    );
  }
  return { overlays, problems };
}

export function byKind(overlay: Overlay, kind: string): RenderedResource[] {
  return overlay.resources.filter((r) => r.object.kind === kind);
}

export function findObject(overlay: Overlay, kind: string, name: string, namespace?: string): RenderedResource | undefined {
  return overlay.resources.find(
    (r) => r.object.kind === kind && (r.object.metadata.name === name || r.originalName === name) && (namespace === undefined || (r.object.metadata.namespace ?? 'default') === namespace),
  );
}

/** A problem about a rendered object: the file that declared it (or the last patch that changed it, when asked). */
export function problemAt(r: RenderedResource, field: string, message: string, blamePatch = false): Problem {
  const file = blamePatch && r.patchedBy.length > 0 ? r.patchedBy[r.patchedBy.length - 1]! : r.origin.file;
  return { file, field, message: `${r.object.kind} ${r.object.metadata.namespace ? `${r.object.metadata.namespace}/` : ''}${r.object.metadata.name}: ${message}` };
}
