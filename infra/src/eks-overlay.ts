import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The overlay `pulumi up` applies, and the Dapr resource files its sidecars mount (k8s/components/eks). */
export const EKS_OVERLAY_DIR = 'k8s/overlays/eks';
export const EKS_RESOURCES_DIR = 'k8s/components/eks/resources';
const NAMESPACE_FILE = 'k8s/base/namespace.yaml';

export interface EksOverlay {
  directory: string;
  resourcesPath: string;
  /** The namespace the apps run in (k8s/base). */
  namespace: string;
  /** Image name → its ECR repository name, from the overlay's `images` (the path after the registry host). */
  repositories: Record<string, string>;
}

/** Where k8s/ puts what the infrastructure must match: the namespace and the ECR image names. */
export async function readEksOverlay(repoRoot: string): Promise<EksOverlay> {
  const directory = path.join(repoRoot, EKS_OVERLAY_DIR);
  const namespace = (await documents(path.join(repoRoot, NAMESPACE_FILE))).find((d) => d['kind'] === 'Namespace')?.['metadata'] as { name?: string } | undefined;
  if (!namespace?.name) throw new Error(`${NAMESPACE_FILE} declares no Namespace`);

  const [kustomization] = await documents(path.join(directory, 'kustomization.yaml'));
  const images = (kustomization?.['images'] ?? []) as { name: string; newName?: string }[];
  const repositories: Record<string, string> = {};
  for (const image of images) {
    const repository = image.newName?.split('/').slice(1).join('/');
    if (!repository) throw new Error(`${EKS_OVERLAY_DIR}/kustomization.yaml: image ${image.name} needs a newName in ECR (<registry>/<repository>)`);
    repositories[image.name] = repository;
  }
  return { directory, resourcesPath: path.join(repoRoot, EKS_RESOURCES_DIR), namespace: namespace.name, repositories };
}

async function documents(file: string): Promise<Record<string, unknown>[]> {
  return parseAllDocuments(await readFile(file, 'utf8'))
    .map((d) => d.toJSON() as Record<string, unknown> | null)
    .filter((d): d is Record<string, unknown> => d !== null);
}
