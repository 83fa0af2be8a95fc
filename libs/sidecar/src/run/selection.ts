import { statSync } from 'node:fs';
import path from 'node:path';
import type { RunApp, RunFile } from './run-file';

export interface Selection {
  /** `--only`: the app ids to run (all when empty). */
  only?: string[];
  /** `--resources-path`: replaces every app's resources paths (relative to the working directory). */
  resourcesPaths?: string[];
  /** `--services`: embedded components → the same components on Redis, NATS and the SNS/SQS endpoint. */
  services?: boolean;
}

export const LOCAL_PROFILE = path.join('components', 'local');
export const SERVICES_PROFILE = path.join('components', 'services');

/**
 * Applies the command line to the run file. The `--services` rule: every resources path that ends in
 * `components/local` is replaced by its sibling `components/services`; other paths stay as they are. The files
 * in both folders carry the same component names, so the apps do not notice which one they run on.
 */
export function selectApps(runFile: RunFile, selection: Selection, cwd = process.cwd()): RunApp[] {
  let apps = runFile.apps;
  if (selection.only?.length) {
    const known = new Set(apps.map((a) => a.appId));
    const unknown = selection.only.filter((id) => !known.has(id));
    if (unknown.length) throw new Error(`--only: no app ${unknown.map((u) => `'${u}'`).join(', ')} in ${runFile.file} (its apps: ${[...known].join(', ')})`);
    apps = apps.filter((a) => selection.only!.includes(a.appId));
  }
  if (selection.resourcesPaths?.length) {
    const paths = selection.resourcesPaths.map((p) => {
      const resolved = path.resolve(cwd, p);
      if (!isDirectory(resolved)) throw new Error(`--resources-path: ${p} is not a directory`);
      return resolved;
    });
    apps = apps.map((a) => ({ ...a, resourcesPaths: paths }));
  }
  if (selection.services) apps = toServices(apps);
  return apps;
}

function toServices(apps: RunApp[]): RunApp[] {
  let switched = 0;
  const result = apps.map((app) => ({
    ...app,
    resourcesPaths: app.resourcesPaths.map((p) => {
      if (path.basename(p) !== 'local' || path.basename(path.dirname(p)) !== 'components') return p;
      const services = path.join(path.dirname(p), 'services');
      if (!isDirectory(services)) throw new Error(`--services: ${services} does not exist (it replaces ${p})`);
      switched++;
      return services;
    }),
  }));
  if (switched === 0) throw new Error(`--services: no app's resources path ends in ${LOCAL_PROFILE}, so there is nothing to switch to ${SERVICES_PROFILE}`);
  return result;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
