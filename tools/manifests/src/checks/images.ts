import { containersOf } from '../kustomize/resource';
import { splitImage } from '../kustomize/transformers';
import type { Problem } from '../problems';
import { join, type RepoFiles } from '../repo';
import { artifactsOf, kustomizePathsOf, portForwardsOf, SKAFFOLD_FILE, withProfiles, type Artifact, type SkaffoldConfig } from '../skaffold/config';
import type { DaprRunApp } from '../workspace';
import { isRecord } from '../yaml-docs';
import { findObject, OVERLAY_DIRS, problemAt, type Overlay, type OverlayName } from './overlays';
import { APP_CONTAINER, container, SIDECAR_CONTAINER } from './pods';

/** The runs the README documents: `skaffold dev` on minikube, `--profile dapr` there, `skaffold run --profile eks`. */
export const SKAFFOLD_RUNS: { profiles: string[]; overlay: OverlayName; command: string }[] = [
  { profiles: ['minikube'], overlay: 'minikube', command: 'skaffold dev (kube context minikube)' },
  { profiles: [], overlay: 'minikube', command: 'skaffold dev (any other kube context)' },
  { profiles: ['minikube', 'dapr'], overlay: 'dapr', command: 'skaffold dev --profile dapr (kube context minikube)' },
  { profiles: ['eks'], overlay: 'eks', command: 'skaffold run --profile eks' },
];

export const SIDECAR_DOCKERFILE = 'libs/sidecar/Dockerfile';

/**
 * For every documented skaffold run: it renders the overlay the README says, every image it builds is run by a
 * Deployment of that overlay and built from a Dockerfile that exists, every image a Deployment runs is either
 * built or pinned to a version, each app runs the image built from its own Dockerfile, and the port-forward exists.
 */
export function checkSkaffoldRuns(config: SkaffoldConfig, overlays: Overlay[], apps: DaprRunApp[], files: RepoFiles): Problem[] {
  const problems: Problem[] = [];
  for (const run of SKAFFOLD_RUNS) {
    const overlay = overlays.find((o) => o.name === run.overlay);
    if (!overlay) continue; // rendering failed; that problem is reported already
    const effective = withProfiles(config, run.profiles);
    const where = `${run.command}`;
    const paths = kustomizePathsOf(effective);
    if (paths.length !== 1 || paths[0] !== OVERLAY_DIRS[run.overlay]) {
      problems.push({ file: SKAFFOLD_FILE, field: 'manifests.kustomize.paths', message: `${where} renders ${paths.join(', ') || 'nothing'} instead of ${OVERLAY_DIRS[run.overlay]}` });
      continue;
    }
    const artifacts = artifactsOf(effective);
    problems.push(...checkArtifacts(artifacts, overlay, where, files));
    problems.push(...checkContainersImages(artifacts, overlay, apps, where));
    for (const pf of portForwardsOf(effective)) {
      const service = pf.resourceType.toLowerCase() === 'service' ? findObject(overlay, 'Service', pf.resourceName, pf.namespace) : undefined;
      const ports = service && isRecord(service.object['spec']) && Array.isArray(service.object['spec']['ports']) ? service.object['spec']['ports'] : [];
      if (!service) problems.push({ file: SKAFFOLD_FILE, field: `portForward[${pf.index}]`, message: `${where}: ${overlay.dir} has no Service ${pf.namespace ?? 'default'}/${pf.resourceName}` });
      else if (!ports.some((p) => isRecord(p) && (p['port'] === pf.port || p['name'] === pf.port))) {
        problems.push({ file: SKAFFOLD_FILE, field: `portForward[${pf.index}].port`, message: `${where}: Service ${pf.resourceName} has no port ${pf.port}` });
      }
    }
  }
  return problems;
}

function checkArtifacts(artifacts: Artifact[], overlay: Overlay, where: string, files: RepoFiles): Problem[] {
  const problems: Problem[] = [];
  const used = new Set(overlay.resources.flatMap((r) => containersOf(r.object).map(({ container: c }) => splitImage(String(c['image'])).name)));
  for (const a of artifacts) {
    const field = `build.artifacts[${a.index}]`;
    const dockerfile = join(a.context, a.dockerfile);
    if (a.context !== '.') problems.push({ file: SKAFFOLD_FILE, field: `${field}.context`, message: 'must be the repository root (.): images copy workspace libraries' });
    if (!files.exists(dockerfile)) problems.push({ file: SKAFFOLD_FILE, field: `${field}.docker.dockerfile`, message: `${dockerfile} does not exist` });
    if (!used.has(a.image)) problems.push({ file: SKAFFOLD_FILE, field: `${field}.image`, message: `${where} builds ${a.image} but no Deployment of ${overlay.dir} runs it` });
  }
  return problems;
}

function checkContainersImages(artifacts: Artifact[], overlay: Overlay, apps: DaprRunApp[], where: string): Problem[] {
  const problems: Problem[] = [];
  const byImage = new Map(artifacts.map((a) => [a.image, a]));
  for (const r of overlay.resources) {
    for (const { container: c, path } of containersOf(r.object)) {
      const image = splitImage(String(c['image']));
      if (byImage.has(image.name)) continue;
      if (!image.tag && !image.digest) problems.push(problemAt(r, `${path}.image`, `${image.name} is not built by ${SKAFFOLD_FILE} for ${where}`, true));
      else if (image.tag === 'latest') problems.push(problemAt(r, `${path}.image`, `${c['image']}: pin a version instead of latest`, true));
    }
  }
  for (const app of apps) {
    const d = findObject(overlay, 'Deployment', app.appID);
    if (!d) continue;
    const expect: [string, string][] = [[APP_CONTAINER, `${app.appDirPath}/Dockerfile`]];
    if (overlay.ourSidecar) expect.push([SIDECAR_CONTAINER, SIDECAR_DOCKERFILE]);
    for (const [name, dockerfile] of expect) {
      const ref = container(d, name);
      const artifact = ref && byImage.get(splitImage(String(ref.container['image'])).name);
      if (ref && artifact && join(artifact.context, artifact.dockerfile) !== dockerfile) {
        problems.push(problemAt(d, `${ref.path}.image`, `runs ${artifact.image}, built from ${join(artifact.context, artifact.dockerfile)}, but the ${name} of ${app.appID} is built by ${dockerfile}`, true));
      }
    }
  }
  return problems;
}
