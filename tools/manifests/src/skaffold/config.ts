import type { Problem } from '../problems';
import type { RepoFiles } from '../repo';
import { applyJsonPatch, type JsonPatchOperation } from '../kustomize/json6902';
import { schemaValidator } from '../validate/json-schema';
import { isRecord, parseSingleDocument } from '../yaml-docs';

export const SKAFFOLD_FILE = 'skaffold.yaml';
/** skaffold 2.15 to 2.18 write this version; newer skaffold reads it too (and `skaffold fix` upgrades it). */
export const SKAFFOLD_API_VERSION = 'skaffold/v4beta13';

export type SkaffoldConfig = Record<string, unknown>;

/** skaffold.yaml checked against the v4beta13 schema (vendored) and its apiVersion, which the schema leaves open. */
export function readSkaffold(files: RepoFiles): { config: SkaffoldConfig; problems: Problem[] } {
  const config = parseSingleDocument(files.read(SKAFFOLD_FILE), SKAFFOLD_FILE);
  if (!isRecord(config)) return { config: {}, problems: [{ file: SKAFFOLD_FILE, field: '', message: 'must be a mapping' }] };
  const problems = schemaValidator('skaffold-v4beta13.json')(config).map((i) => ({ file: SKAFFOLD_FILE, field: i.field, message: `${i.message} (skaffold/v4beta13 schema)` }));
  if (config['apiVersion'] !== SKAFFOLD_API_VERSION) problems.push({ file: SKAFFOLD_FILE, field: 'apiVersion', message: `must be ${SKAFFOLD_API_VERSION}` });
  if (config['kind'] !== 'Config') problems.push({ file: SKAFFOLD_FILE, field: 'kind', message: 'must be Config' });
  return { config, problems };
}

export function profileNames(config: SkaffoldConfig): string[] {
  return (Array.isArray(config['profiles']) ? config['profiles'] : []).filter(isRecord).map((p) => String(p['name']));
}

/** What skaffold runs with these profiles active: each profile laid onto the config, then its JSON patches. */
export function withProfiles(config: SkaffoldConfig, active: string[]): SkaffoldConfig {
  let out = structuredClone(config);
  delete out['profiles'];
  for (const name of active) {
    const profile = (config['profiles'] as Record<string, unknown>[] | undefined)?.find((p) => p['name'] === name);
    if (!profile) throw new Error(`${SKAFFOLD_FILE} has no profile ${name}`);
    for (const section of ['build', 'test', 'manifests', 'deploy', 'portForward', 'verify', 'resourceSelector', 'customActions']) {
      if (profile[section] !== undefined) out[section] = overlay(out[section], profile[section], section);
    }
    if (Array.isArray(profile['patches'])) {
      const ops = (profile['patches'] as Record<string, unknown>[]).map((p) => ({ op: 'replace', ...p }) as JsonPatchOperation);
      out = applyJsonPatch(out, ops);
    }
  }
  return out;
}

/** Where the build runs is a one-of in skaffold's schema: naming one in a profile replaces the others. */
const ONE_OF: Record<string, string[]> = { build: ['local', 'googleCloudBuild', 'cluster'] };

/** skaffold's profile overlay: fields the profile sets replace the config's (lists whole), others stay. */
function overlay(base: unknown, top: unknown, section: string): unknown {
  if (!isRecord(base) || !isRecord(top)) return structuredClone(top);
  const out: Record<string, unknown> = { ...base };
  const oneOf = ONE_OF[section] ?? [];
  if (oneOf.some((k) => k in top)) for (const k of oneOf) delete out[k];
  for (const [key, value] of Object.entries(top)) {
    out[key] = isRecord(value) && isRecord(out[key]) && !oneOf.includes(key) ? overlay(out[key], value, `${section}.${key}`) : structuredClone(value);
  }
  return out;
}

export interface Artifact {
  image: string;
  context: string;
  dockerfile: string;
  index: number;
}

export function artifactsOf(config: SkaffoldConfig): Artifact[] {
  const build = isRecord(config['build']) ? config['build'] : {};
  return (Array.isArray(build['artifacts']) ? build['artifacts'] : []).filter(isRecord).map((a, index) => {
    const docker = isRecord(a['docker']) ? a['docker'] : {};
    return {
      image: String(a['image']),
      context: typeof a['context'] === 'string' ? a['context'] : '.',
      dockerfile: typeof docker['dockerfile'] === 'string' ? docker['dockerfile'] : 'Dockerfile',
      index,
    };
  });
}

export function kustomizePathsOf(config: SkaffoldConfig): string[] {
  const manifests = isRecord(config['manifests']) ? config['manifests'] : {};
  const kustomize = isRecord(manifests['kustomize']) ? manifests['kustomize'] : {};
  return Array.isArray(kustomize['paths']) ? kustomize['paths'].map(String) : [];
}

export interface PortForward {
  resourceType: string;
  resourceName: string;
  namespace?: string;
  port: number | string;
  localPort?: number;
  index: number;
}

export function portForwardsOf(config: SkaffoldConfig): PortForward[] {
  return (Array.isArray(config['portForward']) ? config['portForward'] : []).filter(isRecord).map((p, index) => ({
    resourceType: String(p['resourceType']),
    resourceName: String(p['resourceName']),
    namespace: typeof p['namespace'] === 'string' ? p['namespace'] : undefined,
    port: p['port'] as number | string,
    localPort: typeof p['localPort'] === 'number' ? p['localPort'] : undefined,
    index,
  }));
}
