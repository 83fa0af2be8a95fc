import { APPS, HEALTH_ROUTE } from '@repo/contracts';
import type { RenderedResource } from '../kustomize/resource';
import type { Problem } from '../problems';
import { DAPR_RUN_FILE, type DaprRunApp } from '../workspace';
import { isRecord } from '../yaml-docs';
import { byKind, findObject, problemAt, type Overlay } from './overlays';
import { APP_CONTAINER, container, containerPorts, envEntry, httpProbe, literalEnv, SIDECAR_CONTAINER, sidecarOptions, templateAnnotations, volumeAt } from './pods';
import { selectedWorkloads } from './services';
import { canGetSecrets } from './workloads';

const CONTRACTS_FILE = 'libs/contracts/src/apps.ts';
/** daprd's defaults in Kubernetes, which our sidecar shares. */
const DEFAULT_HTTP_PORT = 3500;
const DEFAULT_INTERNAL_PORT = 50002;

/** dapr.yaml, libs/contracts and each overlay agree on every app: its id, port, health route, env and sidecar. */
export function checkApps(overlay: Overlay, apps: DaprRunApp[]): Problem[] {
  const problems: Problem[] = [];
  for (const app of apps) {
    const at = (name: string) => `apps[${app.index}].${name}`;
    const contract = (APPS as Record<string, { appPort: number }>)[app.appID];
    if (!contract) problems.push({ file: CONTRACTS_FILE, field: 'APPS', message: `has no app ${app.appID} (${DAPR_RUN_FILE} ${at('appID')})` });
    else if (contract.appPort !== app.appPort) problems.push({ file: DAPR_RUN_FILE, field: at('appPort'), message: `is ${app.appPort} but ${CONTRACTS_FILE} says ${contract.appPort}` });
    const health = app.appHealthCheckPath ?? '/healthz';
    if (health !== HEALTH_ROUTE) problems.push({ file: DAPR_RUN_FILE, field: at('appHealthCheckPath'), message: `is ${health} but the apps answer ${HEALTH_ROUTE}` });

    const deployment = findObject(overlay, 'Deployment', app.appID);
    if (!deployment) {
      problems.push({ file: DAPR_RUN_FILE, field: at('appID'), message: `${overlay.dir} has no Deployment ${app.appID}` });
      continue;
    }
    problems.push(...checkAppContainer(deployment, app, health));
    problems.push(...(overlay.ourSidecar ? checkSidecar(overlay, deployment, app) : checkDaprAnnotations(overlay, deployment, app, health)));
  }
  for (const d of byKind(overlay, 'Deployment')) {
    if (container(d, APP_CONTAINER) && !apps.some((a) => a.appID === d.object.metadata.name)) {
      problems.push(problemAt(d, 'metadata.name', `runs an app container but ${DAPR_RUN_FILE} has no app ${d.object.metadata.name}`));
    }
  }
  return problems;
}

function checkAppContainer(d: RenderedResource, app: DaprRunApp, health: string): Problem[] {
  const problems: Problem[] = [];
  const ref = container(d, APP_CONTAINER);
  if (!ref) return [problemAt(d, 'spec.template.spec.containers', `has no container named ${APP_CONTAINER}`)];
  const { container: c, path } = ref;
  const add = (field: string, message: string) => problems.push(problemAt(d, `${path}.${field}`, message, true));
  if (!containerPorts(c).includes(app.appPort)) add('ports', `has no containerPort ${app.appPort} (${DAPR_RUN_FILE} apps[${app.index}].appPort)`);
  const env = literalEnv(c);
  for (const [name, value] of Object.entries(app.env)) {
    if (env[name] !== value) add(`env.${name}`, `is ${env[name] ?? 'not set'} but ${DAPR_RUN_FILE} sets ${value}`);
  }
  for (const kind of ['readinessProbe', 'livenessProbe'] as const) {
    const probe = httpProbe(c, kind);
    if (probe?.path !== health) add(`${kind}.httpGet.path`, `is ${probe?.path ?? 'not an HTTP probe'} but the app answers ${health}`);
    if (probe && probe.port !== app.appPort) add(`${kind}.httpGet.port`, `is ${probe.port ?? 'unknown'} but the app listens on ${app.appPort}`);
  }
  return problems;
}

function checkSidecar(overlay: Overlay, d: RenderedResource, runApp: DaprRunApp): Problem[] {
  const problems: Problem[] = [];
  const ref = container(d, SIDECAR_CONTAINER);
  if (!ref) return [problemAt(d, 'spec.template.spec.containers', `has no container named ${SIDECAR_CONTAINER}`)];
  const { container: c, path } = ref;
  const add = (field: string, message: string) => problems.push(problemAt(d, `${path}.${field}`, message, true));
  const options = sidecarOptions(c);
  if (options instanceof Error) return [problemAt(d, `${path}.args`, `the sidecar refuses them: ${options.message}`, true)];
  if (options.appId !== runApp.appID) add('args', `--app-id is ${options.appId} but ${DAPR_RUN_FILE} says ${runApp.appID}`);
  if (options.appPort !== runApp.appPort) add('args', `--app-port is ${options.appPort ?? 'not set'} but ${DAPR_RUN_FILE} says ${runApp.appPort}`);
  if (options.mode !== 'kubernetes') add('args', `--mode is ${options.mode} but must be kubernetes (peers are {app-id}-dapr Services)`);

  const httpPort = options.daprHttpPort ?? DEFAULT_HTTP_PORT;
  const app = container(d, APP_CONTAINER);
  const appEnv = literalEnv(app?.container ?? {});
  if (app && appEnv['DAPR_HTTP_PORT'] !== String(httpPort)) {
    problems.push(problemAt(d, `${app.path}.env.DAPR_HTTP_PORT`, `is ${appEnv['DAPR_HTTP_PORT'] ?? 'not set'} but the sidecar listens on ${httpPort}`, true));
  }
  const namespaceEnv = envEntry(c, 'NAMESPACE');
  const fieldRef = isRecord(namespaceEnv?.['valueFrom']) && isRecord(namespaceEnv['valueFrom']['fieldRef']) ? namespaceEnv['valueFrom']['fieldRef']['fieldPath'] : undefined;
  if (fieldRef !== 'metadata.namespace') add('env.NAMESPACE', 'must come from the pod (fieldRef metadata.namespace)');

  if ((options.resourcesPaths ?? []).length === 0) add('args', 'needs --resources-path');
  for (const dir of options.resourcesPaths ?? []) {
    const mounted = volumeAt(d, c, dir);
    const configMap = mounted && isRecord(mounted.volume['configMap']) ? String(mounted.volume['configMap']['name']) : undefined;
    if (!configMap) add('volumeMounts', `--resources-path ${dir} is not a ConfigMap mounted in this container`);
    else if (!findObject(overlay, 'ConfigMap', configMap, d.object.metadata.namespace)) add('volumeMounts', `ConfigMap ${configMap} mounted at ${dir} is not in this overlay`);
  }

  const reachable = (port: number | undefined) =>
    port !== undefined && (port === options.publicPort || (port === httpPort && (options.listenAddresses ?? []).some((a) => a === '0.0.0.0' || a === '::')));
  const readiness = httpProbe(c, 'readinessProbe');
  const liveness = httpProbe(c, 'livenessProbe');
  if (readiness?.path !== '/v1.0/healthz') add('readinessProbe.httpGet.path', `is ${readiness?.path ?? 'not an HTTP probe'} but the sidecar is ready on /v1.0/healthz`);
  if (!liveness?.path || !['/v1.0/healthz', '/v1.0/healthz/outbound'].includes(liveness.path)) add('livenessProbe.httpGet.path', `is ${liveness?.path ?? 'not an HTTP probe'}; use /v1.0/healthz/outbound`);
  for (const [kind, probe] of [['readinessProbe', readiness], ['livenessProbe', liveness]] as const) {
    if (probe && !reachable(probe.port)) add(`${kind}.httpGet.port`, `${probe.port ?? 'unknown'} is not where kubelet can reach the sidecar (its --dapr-public-port, or the API port on 0.0.0.0)`);
  }

  const account = String((d.object['spec'] as { template: { spec: Record<string, unknown> } }).template.spec['serviceAccountName'] ?? 'default');
  if (!canGetSecrets(overlay, d.object.metadata.namespace ?? 'default', account)) {
    problems.push(problemAt(d, 'spec.template.spec.serviceAccountName', `ServiceAccount ${account} may not get Secrets (the sidecar's kubernetes secret store needs it)`, true));
  }

  const internalPort = options.daprInternalPort ?? DEFAULT_INTERNAL_PORT;
  const peerService = findObject(overlay, 'Service', `${runApp.appID}-dapr`, d.object.metadata.namespace);
  if (!peerService) {
    problems.push(problemAt(d, 'metadata.name', `has no Service ${runApp.appID}-dapr: peer sidecars resolve {app-id}-dapr.{namespace}.svc.cluster.local:${internalPort}`));
  } else {
    const ports = ((peerService.object['spec'] as Record<string, unknown>)['ports'] as Record<string, unknown>[] | undefined) ?? [];
    if (!ports.some((p) => p['port'] === internalPort)) problems.push(problemAt(peerService, 'spec.ports', `has no port ${internalPort}, the sidecar's internal port`));
    if (!selectedWorkloads(overlay, peerService).includes(d)) problems.push(problemAt(peerService, 'spec.selector', `does not select Deployment ${runApp.appID}`));
  }
  return problems;
}

function checkDaprAnnotations(overlay: Overlay, d: RenderedResource, app: DaprRunApp, health: string): Problem[] {
  const problems: Problem[] = [];
  const annotations = templateAnnotations(d);
  const add = (key: string, message: string) => problems.push(problemAt(d, `spec.template.metadata.annotations.${key}`, message, true));
  if (container(d, SIDECAR_CONTAINER)) problems.push(problemAt(d, 'spec.template.spec.containers', `still has our ${SIDECAR_CONTAINER} container; the Dapr injector adds daprd`, true));
  const expect: Record<string, string> = { 'dapr.io/enabled': 'true', 'dapr.io/app-id': app.appID, 'dapr.io/app-port': String(app.appPort) };
  for (const [key, value] of Object.entries(expect)) if (annotations[key] !== value) add(key, `is ${annotations[key] ?? 'not set'} but must be "${value}"`);
  const config = annotations['dapr.io/config'];
  if (!config) add('dapr.io/config', 'is not set');
  else if (!findObject(overlay, 'Configuration', config, d.object.metadata.namespace)) add('dapr.io/config', `names Configuration ${config}, which is not in this overlay`);
  if (annotations['dapr.io/enable-app-health-check'] === 'true' && (annotations['dapr.io/app-health-check-path'] ?? '/healthz') !== health) {
    add('dapr.io/app-health-check-path', `is ${annotations['dapr.io/app-health-check-path']} but the app answers ${health}`);
  }
  const peerService = findObject(overlay, 'Service', `${app.appID}-dapr`, d.object.metadata.namespace);
  if (peerService) problems.push(problemAt(peerService, 'metadata.name', 'is created by the Dapr operator on real Dapr; the overlay must not apply it'));
  return problems;
}
