import { ManifestError } from './problems';
import type { RepoFiles } from './repo';
import { isRecord, parseSingleDocument } from './yaml-docs';

export const DAPR_RUN_FILE = 'dapr.yaml';

/** One app of dapr.yaml (Dapr's multi-app run file) with the `common` defaults applied. */
export interface DaprRunApp {
  appID: string;
  appDirPath: string;
  appPort: number;
  command: string[];
  env: Record<string, string>;
  appHealthCheckPath?: string;
  /** Index in `apps`, for messages. */
  index: number;
}

export function readDaprRunFile(files: RepoFiles): DaprRunApp[] {
  const doc = parseSingleDocument(files.read(DAPR_RUN_FILE), DAPR_RUN_FILE);
  if (!isRecord(doc) || !Array.isArray(doc['apps'])) throw new ManifestError(DAPR_RUN_FILE, 'apps', 'is required');
  const common = isRecord(doc['common']) ? doc['common'] : {};
  return doc['apps'].map((raw, index) => {
    const app = { ...common, ...(isRecord(raw) ? raw : {}) } as Record<string, unknown>;
    const field = (name: string) => `apps[${index}].${name}`;
    if (typeof app['appID'] !== 'string') throw new ManifestError(DAPR_RUN_FILE, field('appID'), 'is required');
    if (typeof app['appDirPath'] !== 'string') throw new ManifestError(DAPR_RUN_FILE, field('appDirPath'), 'is required');
    const command = app['command'];
    if (!Array.isArray(command) || command.some((c) => typeof c !== 'string')) throw new ManifestError(DAPR_RUN_FILE, field('command'), 'must be a list of strings');
    return {
      appID: app['appID'],
      appDirPath: app['appDirPath'].replace(/^\.\//, '').replace(/\/$/, ''),
      appPort: Number(app['appPort']),
      command: command as string[],
      env: Object.fromEntries(Object.entries(isRecord(app['env']) ? app['env'] : {}).map(([k, v]) => [k, String(v)])),
      appHealthCheckPath: typeof app['appHealthCheckPath'] === 'string' ? app['appHealthCheckPath'] : undefined,
      index,
    };
  });
}

/** The npm workspaces (directories with a package.json) the root package.json's globs select. */
export function npmWorkspaces(files: RepoFiles): string[] {
  const root = JSON.parse(files.read('package.json')) as { workspaces?: string[] };
  const out: string[] = [];
  for (const pattern of root.workspaces ?? []) {
    if (!pattern.endsWith('/*')) throw new ManifestError('package.json', 'workspaces', `pattern ${pattern} is not <dir>/*`);
    const parent = pattern.slice(0, -2);
    for (const name of files.isDirectory(parent) ? files.list(parent) : []) {
      if (files.exists(`${parent}/${name}/package.json`)) out.push(`${parent}/${name}`);
    }
  }
  return out.sort();
}

/** `@repo/<name>` → the workspace directory whose package.json has that name. */
export function workspaceByPackageName(files: RepoFiles): Map<string, string> {
  return new Map(npmWorkspaces(files).map((dir) => [(JSON.parse(files.read(`${dir}/package.json`)) as { name: string }).name, dir]));
}

/** The TypeScript sources under a project's src/ (tests excluded). */
export function sourceFiles(files: RepoFiles, projectDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of files.list(dir)) {
      const file = `${dir}/${name}`;
      if (files.isDirectory(file)) walk(file);
      else if (name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts')) out.push(file);
    }
  };
  if (files.isDirectory(`${projectDir}/src`)) walk(`${projectDir}/src`);
  return out;
}

/** Workspace packages (`@repo/*`) a project imports, directly or through the libraries it imports. */
export function workspaceImports(files: RepoFiles, projectDir: string): string[] {
  const dirs = workspaceByPackageName(files);
  const seen = new Set<string>();
  const visit = (dir: string) => {
    for (const file of sourceFiles(files, dir)) {
      for (const m of files.read(file).matchAll(/(?:from\s+|require\(|import\()\s*['"](@repo\/[a-z0-9-]+)['"]/g)) {
        const lib = dirs.get(m[1]!);
        if (lib && !seen.has(lib)) {
          seen.add(lib);
          visit(lib);
        }
      }
    }
  };
  visit(projectDir);
  return [...seen].sort();
}
