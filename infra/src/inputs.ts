import { APPS, PUBSUB_NAME, TOPIC_FLOW } from '@repo/contracts';
import { loadEksResources } from './eks-resources';
import { EKS_OVERLAY_DIR, readEksOverlay } from './eks-overlay';
import { planMessaging } from './messaging-plan';
import type { StackInputs } from './stack';

/** The sidecar's image, next to one image per app. */
export const SIDECAR_IMAGE = 'sidecar';

/**
 * Everything the stack derives from the repository: app ids and TOPIC_FLOW from libs/contracts, the Component and
 * Subscription files the EKS sidecars load, and the namespace and image names of k8s/overlays/eks.
 */
export async function loadInputs(repoRoot: string): Promise<StackInputs> {
  const appIds = Object.values(APPS).map((app) => app.appId);
  const overlay = await readEksOverlay(repoRoot);
  const missing = [...appIds, SIDECAR_IMAGE].filter((image) => !overlay.repositories[image]);
  if (missing.length > 0) throw new Error(`${EKS_OVERLAY_DIR}/kustomization.yaml has no ECR image for ${missing.join(', ')}`);

  const resources = await loadEksResources({ resourcesPath: overlay.resourcesPath, appIds, pubsubName: PUBSUB_NAME, namespace: overlay.namespace, repoRoot });
  const plan = planMessaging({
    flow: TOPIC_FLOW,
    subscriptions: resources.subscriptions,
    appIds,
    pubsubName: PUBSUB_NAME,
    consumerIdOf: (appId) => resources.consumerIds[appId] ?? appId,
  });
  // Only apps that use an AWS service get a role; their service accounts are named by app id (k8s/base).
  const usesAws = appIds.filter((app) => plan.queues.some((q) => q.appId === app) || (plan.publishes[app] ?? []).length > 0);
  return {
    plan,
    namespace: overlay.namespace,
    serviceAccounts: Object.fromEntries(usesAws.map((app) => [app, app])),
    repositories: overlay.repositories,
    overlayDirectory: overlay.directory,
    redisPasswordRefs: resources.redisPasswordRefs,
  };
}
