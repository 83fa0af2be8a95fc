import { copiesOf, parseDockerfile, runtimeOf, type Dockerfile, type Stage } from '../docker/dockerfile';
import { collect, type Problem } from '../problems';
import type { RepoFiles } from '../repo';
import { artifactsOf, profileNames, withProfiles, type SkaffoldConfig } from '../skaffold/config';
import { npmWorkspaces, workspaceImports, type DaprRunApp } from '../workspace';
import { SIDECAR_DOCKERFILE } from './images';

/** Where the images put the repository; the WORKDIR of a runtime is a directory under it. */
export const IMAGE_ROOT = '/repo';
const DEPS_STAGE = 'deps';

/** Every Dockerfile skaffold.yaml builds, in any profile. */
export function dockerfilesOf(config: SkaffoldConfig): string[] {
  const all = [[], ...profileNames(config).map((p) => [p])].flatMap((profiles) => artifactsOf(withProfiles(config, profiles)));
  return [...new Set(all.map((a) => (a.context === '.' ? a.dockerfile : `${a.context}/${a.dockerfile}`)))].sort();
}

/**
 * What the images run is what the local run runs: for an app, dapr.yaml's command in its appDirPath; for the sidecar,
 * its `sidecar` bin. Plus: non-root numeric user, NODE_ENV=production, a shared dependency stage that installs every
 * workspace, and a runtime that carries the built output of every workspace library the app imports.
 */
export function checkDockerfiles(config: SkaffoldConfig, apps: DaprRunApp[], files: RepoFiles): Problem[] {
  const problems: Problem[] = [];
  const parsed: Dockerfile[] = [];
  for (const file of dockerfilesOf(config)) {
    if (!files.exists(file)) continue; // checkSkaffoldRuns names it
    problems.push(
      ...collect(() => {
        parsed.push(parseDockerfile(files.read(file), file));
        return [];
      }),
    );
  }
  const workspaces = npmWorkspaces(files);
  problems.push(...checkLockfile(files, workspaces));
  let referenceDeps: { file: string; text: string } | undefined;
  for (const d of parsed) {
    const add = (field: string, message: string) => problems.push({ file: d.file, field, message });
    const final = d.stages[d.stages.length - 1]!;
    const rt = runtimeOf(d);
    if (!/^[1-9]\d*(:\d+)?$/.test(rt.user ?? '')) add('USER', `is ${rt.user ?? 'not set (root)'}; run as a numeric non-root user so Kubernetes can verify runAsNonRoot`);
    if (rt.env['NODE_ENV'] !== 'production') add('ENV NODE_ENV', 'must be production in the runtime stage');
    for (const copy of d.stages.flatMap((s) => copiesOf(s).map((c) => ({ ...c, stage: s })))) {
      if (copy.from === undefined) {
        for (const source of copy.sources) if (!files.exists(source.replace(/\/$/, '').replace(/^\.\//, ''))) add(`line ${copy.line}: COPY ${source}`, `${source} does not exist in the build context (the repository root)`);
      } else if (!d.stages.some((s) => s.name === copy.from && s.index < copy.stage.index)) {
        add(`line ${copy.line}: COPY --from=${copy.from}`, `no earlier stage is named ${copy.from}`);
      }
    }
    const deps = d.stages.find((s) => s.name === DEPS_STAGE);
    if (!deps) add(`FROM ... AS ${DEPS_STAGE}`, 'every Dockerfile starts with the shared dependency stage');
    else {
      const copied = copiesOf(deps).flatMap((c) => c.sources).filter((s) => s.endsWith('/package.json')).map((s) => s.slice(0, -'/package.json'.length)).sort();
      if (copied.join() !== workspaces.join()) add(`stage ${DEPS_STAGE}`, `copies the package.json of ${copied.join(', ') || 'no workspace'} but the npm workspaces are ${workspaces.join(', ')}`);
      const text = stageText(deps);
      referenceDeps ??= { file: d.file, text };
      if (text !== referenceDeps.text) add(`stage ${DEPS_STAGE}`, `differs from the one in ${referenceDeps.file}; keep them identical so Docker builds it once`);
    }
    if (d.file === SIDECAR_DOCKERFILE) problems.push(...checkSidecarImage(d, final, files));
    const app = apps.find((a) => d.file === `${a.appDirPath}/Dockerfile`);
    if (app) problems.push(...checkAppImage(d, final, app, files));
    if (!app && d.file !== SIDECAR_DOCKERFILE) add('', 'builds neither an app of dapr.yaml nor the sidecar');
  }
  return problems;
}

/** `npm ci` in the images installs from package-lock.json, which must know every workspace (and link it). */
function checkLockfile(files: RepoFiles, workspaces: string[]): Problem[] {
  const lock = JSON.parse(files.read('package-lock.json')) as { packages?: Record<string, { link?: boolean; resolved?: string }> };
  const packages = lock.packages ?? {};
  return workspaces
    .filter((ws) => !packages[ws] || !Object.values(packages).some((e) => e.link && e.resolved === ws))
    .map((ws) => ({ file: 'package-lock.json', field: `packages["${ws}"]`, message: `the lockfile does not know the workspace ${ws}, so \`npm ci\` in the images fails; run npm install and commit package-lock.json` }));
}

function stageText(stage: Stage): string {
  return [stage.base, ...stage.instructions.map((i) => `${i.keyword} ${JSON.stringify(i.flags)} ${i.args}`)].join('\n');
}

function checkAppImage(d: Dockerfile, final: Stage, app: DaprRunApp, files: RepoFiles): Problem[] {
  const problems: Problem[] = [];
  const add = (field: string, message: string) => problems.push({ file: d.file, field, message });
  const rt = runtimeOf(d);
  const command = [...rt.entrypoint, ...rt.cmd];
  if (rt.workdir !== `${IMAGE_ROOT}/${app.appDirPath}`) add('WORKDIR', `is ${rt.workdir} but dapr.yaml runs ${app.appID} in ${app.appDirPath} (${IMAGE_ROOT}/${app.appDirPath} in the image)`);
  if (JSON.stringify(command) !== JSON.stringify(app.command)) add('CMD', `runs ${JSON.stringify(command)} but dapr.yaml runs ${JSON.stringify(app.command)}`);
  if (!rt.exposed.includes(app.appPort)) add('EXPOSE', `should list the app port ${app.appPort}`);
  const project = projectName(files, app.appDirPath);
  const build = d.stages.find((s) => s.name === 'build');
  if (!build?.instructions.some((i) => i.keyword === 'RUN' && new RegExp(`\\bnx build ${project}\\b`).test(i.args))) add('stage build', `must run \`npx nx build ${project}\`, the build used outside Docker`);
  const finalCopies = copiesOf(final).filter((c) => c.from !== undefined).map((c) => c.sources.join(' '));
  const prodDeps = d.stages.find((s) => s.name === 'prod-deps');
  const install = prodDeps?.instructions.find((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args))?.args ?? '';
  if (!/--omit=dev\b/.test(install)) add('stage prod-deps', 'must install production dependencies only (npm ci --omit=dev)');
  for (const lib of workspaceImports(files, app.appDirPath)) {
    if (!finalCopies.includes(`${IMAGE_ROOT}/${lib}/dist`)) add(`COPY --from=build ${IMAGE_ROOT}/${lib}/dist`, `${app.appID} imports ${lib} (built into ${lib}/dist) but the runtime stage does not copy it`);
    if (!new RegExp(`-w ${lib}\\b`).test(install)) add('stage prod-deps', `npm ci must include the workspace ${lib} (-w ${lib}) that ${app.appID} imports, for its dependencies`);
    if (!build?.instructions.some((i) => i.keyword === 'COPY' && i.args.startsWith(`${lib} `))) add('stage build', `must copy ${lib}, which ${app.appID} imports`);
  }
  if (!finalCopies.includes(`${IMAGE_ROOT}/${app.appDirPath}/dist`)) add(`COPY --from=build ${IMAGE_ROOT}/${app.appDirPath}/dist`, 'the runtime stage must copy the built app');
  return problems;
}

function checkSidecarImage(d: Dockerfile, final: Stage, files: RepoFiles): Problem[] {
  const problems: Problem[] = [];
  const pkg = JSON.parse(files.read('libs/sidecar/package.json')) as { bin?: Record<string, string> };
  const bin = (pkg.bin?.['sidecar'] ?? '').replace(/^\.\//, '');
  const rt = runtimeOf(d);
  if (rt.workdir !== `${IMAGE_ROOT}/libs/sidecar`) problems.push({ file: d.file, field: 'WORKDIR', message: `must be ${IMAGE_ROOT}/libs/sidecar` });
  if (JSON.stringify(rt.entrypoint) !== JSON.stringify(['node', bin])) {
    problems.push({ file: d.file, field: 'ENTRYPOINT', message: `runs ${JSON.stringify(rt.entrypoint)} but the sidecar command is ["node", "${bin}"] (libs/sidecar/package.json bin)` });
  }
  const finalCopies = copiesOf(final).filter((c) => c.from !== undefined).map((c) => c.sources.join(' '));
  for (const dir of ['libs/sidecar/dist', `libs/sidecar/${bin.split('/')[0]}`]) {
    if (!finalCopies.includes(`${IMAGE_ROOT}/${dir}`)) problems.push({ file: d.file, field: `COPY --from=build ${IMAGE_ROOT}/${dir}`, message: 'the runtime stage must copy it' });
  }
  return problems;
}

function projectName(files: RepoFiles, dir: string): string {
  try {
    return (JSON.parse(files.read(`${dir}/project.json`)) as { name: string }).name;
  } catch {
    return dir.split('/').pop()!;
  }
}
