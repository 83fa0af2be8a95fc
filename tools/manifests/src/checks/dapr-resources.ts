import { DEMO_SUBSCRIPTION, PUBSUB_NAME, STATE_STORES, TOPIC_FLOW, TOPICS } from '@repo/contracts';
import type { LoadedResources } from '@repo/sidecar';
import type { RenderedResource } from '../kustomize/resource';
import { containersOf, podSpecOf } from '../kustomize/resource';
import type { Problem } from '../problems';
import type { RepoFiles } from '../repo';
import { configMapFiles, customResourceFiles, loadAsSidecar, validateDaprSchemas, type DaprFile } from '../validate/dapr';
import { DAPR_RUN_FILE, sourceFiles, type DaprRunApp } from '../workspace';
import { isRecord, parseDocuments } from '../yaml-docs';
import { byKind, findObject, problemAt, type Overlay } from './overlays';
import { container, literalEnv, SIDECAR_CONTAINER, sidecarOptions, volumeAt } from './pods';

/** The route `@EventPattern(topic)` serves in libs/nest-dapr when no route is given (its `defaultRoute`). */
export function nestDaprDefaultRoute(topic: string): string {
  return `/events/${encodeURIComponent(PUBSUB_NAME)}/${topic.split('/').map(encodeURIComponent).join('/')}`;
}

/** What each app's sidecar loads in this overlay, and the files it came from. */
export interface AppResources {
  app: DaprRunApp;
  deployment: RenderedResource;
  files: DaprFile[];
  loaded?: LoadedResources;
}

/**
 * Every app's Dapr resources, loaded the way its sidecar will load them (libs/sidecar's loader, its app id and
 * namespace, scopes applied), after the CRD schema check the API server would make.
 */
export async function loadAppResources(overlay: Overlay, apps: DaprRunApp[]): Promise<{ apps: AppResources[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  const out: AppResources[] = [];
  const schemaChecked = new Set<string>();
  for (const app of apps) {
    const deployment = findObject(overlay, 'Deployment', app.appID);
    if (!deployment) continue; // checkApps names it
    const files = overlay.ourSidecar ? sidecarFiles(overlay, deployment) : customResourceFiles(overlay.resources);
    if (!files) continue; // checkApps names the missing mount
    const key = files.map((f) => `${f.source}|${f.name}`).join(',');
    if (!schemaChecked.has(key)) {
      schemaChecked.add(key);
      problems.push(...validateDaprSchemas(files));
    }
    const result = await loadAsSidecar(files, app.appID, deployment.object.metadata.namespace ?? 'default');
    problems.push(...result.problems);
    out.push({ app, deployment, files, loaded: result.loaded });
  }
  return { apps: out, problems };
}

function sidecarFiles(overlay: Overlay, d: RenderedResource): DaprFile[] | undefined {
  const ref = container(d, SIDECAR_CONTAINER);
  const options = ref && sidecarOptions(ref.container);
  if (!ref || !options || options instanceof Error) return undefined;
  const files: DaprFile[] = [];
  for (const dir of options.resourcesPaths ?? []) {
    const mounted = volumeAt(d, ref.container, dir);
    const name = mounted && isRecord(mounted.volume['configMap']) ? String(mounted.volume['configMap']['name']) : undefined;
    const configMap = name ? findObject(overlay, 'ConfigMap', name, d.object.metadata.namespace) : undefined;
    if (!configMap) return undefined;
    files.push(...configMapFiles(configMap));
  }
  return files;
}

/** Every app loads the pub/sub and state stores libs/contracts says it uses; every consumer of a topic is subscribed. */
export function checkMessagingAndState(overlay: Overlay, apps: AppResources[], files: RepoFiles): Problem[] {
  const problems: Problem[] = [];
  for (const { app, deployment, files: resourceFiles, loaded } of apps) {
    if (!loaded) continue;
    const blame = (kind: string, match: (doc: Record<string, unknown>) => boolean) => declaringFile(resourceFiles, kind, match) ?? resourceFiles[0]?.source ?? deployment.origin.file;
    const named = (name: string) => (doc: Record<string, unknown>) => isRecord(doc['metadata']) && doc['metadata']['name'] === name;
    const usesPubSub = Object.values(TOPIC_FLOW).some((f) => f.publishers.includes(app.appID) || f.subscribers.includes(app.appID));
    const pubsub = loaded.components.find((c) => c.name === PUBSUB_NAME);
    if (usesPubSub && !pubsub?.type.startsWith('pubsub.')) {
      problems.push({ file: blame('Component', named(PUBSUB_NAME)), field: `Component ${PUBSUB_NAME}`, message: `app ${app.appID} publishes or consumes topics (libs/contracts TOPIC_FLOW) but its sidecar in ${overlay.dir} loads no pub/sub ${PUBSUB_NAME}; check the Component's scopes` });
    }
    const store = (STATE_STORES as Record<string, string>)[app.appID];
    if (store && !loaded.components.some((c) => c.name === store && c.type.startsWith('state.'))) {
      problems.push({ file: blame('Component', named(store)), field: `Component ${store}`, message: `app ${app.appID} keeps its state in ${store} (libs/contracts STATE_STORES) but its sidecar in ${overlay.dir} loads no such state store; check the Component's scopes` });
    }
    const served = servedEventRoutes(files, app.appDirPath);
    for (const [topic, flow] of Object.entries(TOPIC_FLOW)) {
      if (!flow.subscribers.includes(app.appID)) continue;
      const route = served.get(topic);
      const subscription = loaded.subscriptions.find((s) => s.pubsubname === PUBSUB_NAME && s.topic === topic);
      if (!subscription) {
        if (!route) problems.push({ file: blame('Subscription', () => true), field: `Subscription for ${topic}`, message: `app ${app.appID} consumes topic ${topic} (libs/contracts TOPIC_FLOW) but neither a Subscription in ${overlay.dir} nor an @EventPattern in ${app.appDirPath}/src subscribes it` });
        continue;
      }
      const file = resourceFiles.find((f) => subscription.origin.file.endsWith(`/${f.name}`))?.source ?? blame('Subscription', () => true);
      const routes = subscription.rules.map((r) => r.path);
      if (!route) problems.push({ file, field: `Subscription ${subscription.name}: spec.route`, message: `app ${app.appID} has no @EventPattern for topic ${topic} in ${app.appDirPath}/src, so nothing serves ${routes.join(', ')}` });
      else if (!routes.includes(route)) problems.push({ file, field: `Subscription ${subscription.name}: spec.route`, message: `is ${routes.join(', ')} but app ${app.appID} serves topic ${topic} on ${route} (${app.appDirPath}/src)` });
    }
  }
  return problems;
}

/** The file that declares a Dapr object of this kind matching the predicate (scopes aside). */
function declaringFile(files: DaprFile[], kind: string, match: (doc: Record<string, unknown>) => boolean): string | undefined {
  return files.find((f) => parseDocuments(f.text, f.source).some((d) => isRecord(d.value) && d.value['kind'] === kind && match(d.value)))?.source;
}

/**
 * The route each `@EventPattern(topic, { route })` of an app serves, by topic: what libs/nest-dapr registers, with
 * `TOPICS.*` and `DEMO_SUBSCRIPTION.*` read from libs/contracts and the transport's default route when none is given.
 */
export function servedEventRoutes(files: RepoFiles, projectDir: string): Map<string, string> {
  const constant = (expression: string): string | undefined => {
    const literal = /^(['"`])([^'"`]*)\1$/.exec(expression);
    if (literal) return literal[2];
    const topic = /^TOPICS\.(\w+)$/.exec(expression);
    if (topic) return (TOPICS as Record<string, string>)[topic[1]!];
    const demo = /^DEMO_SUBSCRIPTION\.(topic|route)$/.exec(expression);
    return demo ? DEMO_SUBSCRIPTION[demo[1] as 'topic' | 'route'] : undefined;
  };
  const out = new Map<string, string>();
  for (const file of sourceFiles(files, projectDir)) {
    for (const m of files.read(file).matchAll(/@EventPattern\(\s*([^,)]+?)\s*(?:,\s*\{([^}]*)\})?\s*\)/g)) {
      const topic = constant(m[1]!);
      if (!topic) continue;
      const routeExpression = /\broute:\s*([^,}\s]+)/.exec(m[2] ?? '')?.[1];
      const route = routeExpression ? constant(routeExpression) : nestDaprDefaultRoute(topic);
      if (route) out.set(topic, route.startsWith('/') ? route : `/${route}`);
    }
  }
  return out;
}

/** Every Secret a Component (through the `kubernetes` store) or a pod refers to exists in the overlay, with the key. */
export function checkSecrets(overlay: Overlay, apps: AppResources[]): Problem[] {
  const problems: Problem[] = [];
  const secretHas = (namespace: string, name: string, key?: string) => {
    const secret = findObject(overlay, 'Secret', name, namespace);
    if (!secret) return `Secret ${namespace}/${name} is not in ${overlay.dir}`;
    const keys = [...Object.keys((secret.object['data'] ?? {}) as object), ...Object.keys((secret.object['stringData'] ?? {}) as object)];
    return key === undefined || keys.includes(key) ? undefined : `Secret ${namespace}/${name} has no key ${key} (it has ${keys.join(', ') || 'none'})`;
  };
  const seen = new Set<string>();
  for (const { deployment, files, loaded } of apps) {
    const namespace = deployment.object.metadata.namespace ?? 'default';
    for (const c of loaded?.components ?? []) {
      c.metadata.forEach((m, i) => {
        if (!m.secretKeyRef) return;
        const file = files.find((f) => c.origin.file.endsWith(`/${f.name}`))?.source ?? c.origin.file;
        const field = `Component ${c.name}: spec.metadata[${i}].secretKeyRef`;
        const store = c.secretStore ?? 'kubernetes';
        const missing =
          store === 'kubernetes'
            ? secretHas(namespace, m.secretKeyRef.name, m.secretKeyRef.key)
            : loaded!.components.some((s) => s.name === store && s.type.startsWith('secretstores.'))
              ? undefined
              : `secret store ${store} is not loaded`;
        if (missing && !seen.has(`${file}|${field}`)) {
          seen.add(`${file}|${field}`);
          problems.push({ file, field, message: missing });
        }
      });
    }
  }
  for (const r of overlay.resources) {
    const spec = podSpecOf(r.object);
    if (!spec) continue;
    const namespace = r.object.metadata.namespace ?? 'default';
    for (const { container: c, path } of containersOf(r.object)) {
      (Array.isArray(c['env']) ? c['env'] : []).forEach((e) => {
        const ref = isRecord(e) && isRecord(e['valueFrom']) && isRecord(e['valueFrom']['secretKeyRef']) ? e['valueFrom']['secretKeyRef'] : undefined;
        const missing = ref && ref['optional'] !== true ? secretHas(namespace, String(ref['name']), String(ref['key'])) : undefined;
        if (missing) problems.push(problemAt(r, `${path}.env.${String((e as Record<string, unknown>)['name'])}.valueFrom.secretKeyRef`, missing, true));
      });
      (Array.isArray(c['envFrom']) ? c['envFrom'] : []).forEach((e, i) => {
        const ref = isRecord(e) && isRecord(e['secretRef']) ? e['secretRef'] : undefined;
        const missing = ref && ref['optional'] !== true ? secretHas(namespace, String(ref['name'])) : undefined;
        if (missing) problems.push(problemAt(r, `${path}.envFrom[${i}].secretRef`, missing, true));
      });
    }
    (Array.isArray(spec['volumes']) ? spec['volumes'] : []).forEach((v) => {
      if (!isRecord(v)) return;
      const at = `spec.template.spec.volumes[${String(v['name'])}]`;
      if (isRecord(v['secret']) && v['secret']['optional'] !== true) {
        const missing = secretHas(namespace, String(v['secret']['secretName']));
        if (missing) problems.push(problemAt(r, `${at}.secret.secretName`, missing, true));
      }
      if (isRecord(v['configMap']) && v['configMap']['optional'] !== true && !findObject(overlay, 'ConfigMap', String(v['configMap']['name']), namespace)) {
        problems.push(problemAt(r, `${at}.configMap.name`, `ConfigMap ${String(v['configMap']['name'])} is not in ${overlay.dir}`, true));
      }
    });
  }
  return problems;
}

const SNSSQS = new Set(['pubsub.snssqs', 'pubsub.aws.snssqs']);
const ROLE_ARN = 'eks.amazonaws.com/role-arn';

/**
 * IRSA, least privilege: exactly the apps whose sidecars load an SNS/SQS pub/sub get an IAM role on their
 * ServiceAccount, and no Component carries AWS keys.
 */
export function checkAwsCredentials(overlay: Overlay, apps: AppResources[]): Problem[] {
  const problems: Problem[] = [];
  for (const { app, deployment, files, loaded } of apps) {
    const aws = (loaded?.components ?? []).filter((c) => SNSSQS.has(c.type));
    for (const c of aws) {
      for (const key of ['accessKey', 'secretKey', 'awsAccountID', 'awsSecret', 'sessionToken']) {
        if (c.metadata.some((m) => m.name === key)) {
          problems.push({ file: files.find((f) => c.origin.file.endsWith(`/${f.name}`))?.source ?? c.origin.file, field: `Component ${c.name}: spec.metadata ${key}`, message: 'AWS credentials come from the pod\'s IAM role (IRSA), never from a Component' });
        }
      }
    }
    if (overlay.name !== 'eks') continue;
    const spec = podSpecOf(deployment.object) ?? {};
    const account = findObject(overlay, 'ServiceAccount', String(spec['serviceAccountName'] ?? 'default'), deployment.object.metadata.namespace);
    const arn = account?.object.metadata.annotations?.[ROLE_ARN];
    if (aws.length > 0 && !arn) {
      problems.push(problemAt(account ?? deployment, `metadata.annotations.${ROLE_ARN}`, `app ${app.appID} loads ${aws.map((c) => c.name).join(', ')} (SNS/SQS) but its ServiceAccount has no IAM role`, true));
    }
    if (aws.length === 0 && arn) {
      problems.push(problemAt(account!, `metadata.annotations.${ROLE_ARN}`, `app ${app.appID} uses no AWS service but gets an IAM role (least privilege: remove it)`, true));
    }
  }
  return problems;
}

/**
 * daprd's pubsub.jetstream needs its stream to exist: the Job that creates it (env STREAM and SUBJECTS) must list
 * every topic of libs/contracts and every dead-letter topic.
 */
export function checkJetStreamSubjects(overlay: Overlay, apps: AppResources[]): Problem[] {
  const problems: Problem[] = [];
  const streams = new Map<string, Set<string>>();
  for (const { loaded } of apps) {
    for (const c of loaded?.components ?? []) {
      if (c.type !== 'pubsub.jetstream') continue;
      const stream = c.metadata.find((m) => m.name === 'streamName')?.value;
      const topics = streams.get(stream ?? '') ?? new Set<string>();
      Object.values(TOPICS).forEach((t) => topics.add(t));
      (loaded?.subscriptions ?? []).forEach((s) => s.deadLetterTopic && topics.add(s.deadLetterTopic));
      streams.set(stream ?? '', topics);
    }
  }
  for (const [stream, topics] of streams) {
    const job = byKind(overlay, 'Job').find((j) => containersOf(j.object).some(({ container: c }) => literalEnv(c)['STREAM'] === stream));
    if (!stream || !job) {
      problems.push({ file: `${overlay.dir}/kustomization.yaml`, field: 'resources', message: `pubsub.jetstream stream ${stream || '(no streamName)'} is created by no Job (daprd expects the stream to exist)` });
      continue;
    }
    const ref = containersOf(job.object).find(({ container: c }) => literalEnv(c)['STREAM'] === stream)!;
    const subjects = new Set((literalEnv(ref.container)['SUBJECTS'] ?? '').split(',').map((s) => s.trim()));
    const missing = [...topics].filter((t) => !subjects.has(t));
    if (missing.length > 0) problems.push(problemAt(job, `${ref.path}.env.SUBJECTS`, `misses topics ${missing.join(', ')} of stream ${stream}`));
  }
  return problems;
}

export { DAPR_RUN_FILE };
