import path from 'node:path';
import { ManifestError } from '../problems';
import { join, normalize, type RepoFiles } from '../repo';
import { isRecord, parseDocuments } from '../yaml-docs';
import { applyJsonPatch, type JsonPatchOperation } from './json6902';
import { parseKustomization, type ConfigMapGeneratorEntry, type PatchEntry } from './kustomization';
import { asObject, clone, describe, idOf, type KObject, type RenderedResource } from './resource';
import { matchesSelector } from './selector';
import { applyStrategicMerge } from './strategic-merge';
import { addNameHashes, applyImage, applyLabels, sortLegacy } from './transformers';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/**
 * `kustomize build <dir>` for the features this repository uses: `resources` (files and directories),
 * `configMapGenerator` (files and literals), `patches` (strategic merge and JSON 6902, by id or by target),
 * `labels` and `images`, then content-hashed ConfigMap names and kustomize's output order. Stricter than kustomize
 * in one way: a patch that matches nothing is an error, because here it is always a mistake.
 */
export function buildKustomization(dir: string, files: RepoFiles): RenderedResource[] {
  const resources = accumulate(normalize(dir), files, []);
  addNameHashes(resources);
  return sortLegacy(resources);
}

function accumulate(dir: string, files: RepoFiles, stack: string[]): RenderedResource[] {
  if (stack.includes(dir)) throw new ManifestError(stack[stack.length - 1]!, 'resources', `cycle through ${dir}`);
  const kfile = KUSTOMIZATION_FILES.map((f) => join(dir, f)).find((f) => files.exists(f));
  if (!kfile) throw new ManifestError(dir, '', 'no kustomization.yaml in this directory');
  const k = parseKustomization(files.read(kfile), kfile);

  const out: RenderedResource[] = [];
  const add = (items: RenderedResource[], field: string) => {
    for (const r of items) {
      const clash = out.find((o) => idOf(o.object) === idOf(r.object));
      if (clash) throw new ManifestError(kfile, field, `${describe(r.object)} from ${r.origin.file} is already defined in ${clash.origin.file}`);
      out.push(r);
    }
  };
  (k.resources ?? []).forEach((entry, i) => {
    const target = join(dir, entry);
    if (files.isDirectory(target)) add(accumulate(target, files, [...stack, dir]), `resources[${i}]`);
    else add(readResources(within(dir, target, kfile, `resources[${i}]`, files), files), `resources[${i}]`);
  });
  (k.configMapGenerator ?? []).forEach((g, i) => add([generateConfigMap(g, dir, kfile, `configMapGenerator[${i}]`, files)], `configMapGenerator[${i}]`));

  let current = out;
  (k.patches ?? []).forEach((p, i) => {
    current = applyPatch(current, p, dir, kfile, `patches[${i}]`, files);
  });
  for (const entry of k.labels ?? []) applyLabels(current, entry);
  for (const entry of k.images ?? []) applyImage(current, entry);
  return current;
}

/** A file a kustomization reads must be in or below its directory, as kustomize's default load restrictor says. */
function within(dir: string, file: string, kfile: string, field: string, files: RepoFiles): string {
  if (dir && !file.startsWith(`${dir}/`)) throw new ManifestError(kfile, field, `${file} is not in or below ${dir} (kustomize refuses to load it)`);
  if (!files.exists(file)) throw new ManifestError(kfile, field, `${file} does not exist`);
  return file;
}

function readResources(file: string, files: RepoFiles): RenderedResource[] {
  return parseDocuments(files.read(file), file).map((d) => {
    const object = asObject(d.value, file, d.document);
    return { object, origin: { file, document: d.document }, originalName: object.metadata.name, patchedBy: [] };
  });
}

function generateConfigMap(g: ConfigMapGeneratorEntry, dir: string, kfile: string, field: string, files: RepoFiles): RenderedResource {
  const data: Record<string, string> = {};
  const sources: Record<string, string> = {};
  (g.files ?? []).forEach((entry, i) => {
    const eq = entry.indexOf('=');
    const key = eq >= 0 ? entry.slice(0, eq) : path.posix.basename(entry);
    const file = within(dir, join(dir, eq >= 0 ? entry.slice(eq + 1) : entry), kfile, `${field}.files[${i}]`, files);
    if (!/^[-._a-zA-Z0-9]+$/.test(key)) throw new ManifestError(kfile, `${field}.files[${i}]`, `'${key}' is not a valid ConfigMap key`);
    if (key in data) throw new ManifestError(kfile, `${field}.files[${i}]`, `key ${key} is already taken by ${sources[key]}`);
    data[key] = files.read(file);
    sources[key] = file;
  });
  (g.literals ?? []).forEach((literal, i) => {
    const eq = literal.indexOf('=');
    if (eq <= 0) throw new ManifestError(kfile, `${field}.literals[${i}]`, `'${literal}' is not key=value`);
    data[literal.slice(0, eq)] = literal.slice(eq + 1);
  });
  const object: KObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: g.name, ...(g.namespace ? { namespace: g.namespace } : {}) }, data };
  return {
    object,
    origin: { file: kfile, document: 1 },
    originalName: g.name,
    patchedBy: [],
    sources,
    hashSuffix: !g.options?.disableNameSuffixHash,
  };
}

function applyPatch(resources: RenderedResource[], p: PatchEntry, dir: string, kfile: string, field: string, files: RepoFiles): RenderedResource[] {
  const patchFile = p.path !== undefined ? within(dir, join(dir, p.path), kfile, `${field}.path`, files) : kfile;
  const docs = parseDocuments(p.path !== undefined ? files.read(patchFile) : p.patch!, patchFile);
  // kustomize reads one strategic merge patch or one JSON patch per entry.
  if (docs.length !== 1) throw new ManifestError(kfile, field, `a patch must be one YAML document, found ${docs.length}`);
  const patch = docs[0]!.value;
  const fail = (detail: string) => new ManifestError(kfile, field, detail);

  if (Array.isArray(patch)) {
    if (!p.target) throw fail('a JSON 6902 patch needs a target');
    const matched = resources.filter((r) => matchesSelector(r.object, p.target!));
    if (matched.length === 0) throw fail(`target ${JSON.stringify(p.target)} matches nothing`);
    for (const r of matched) {
      try {
        r.object = applyJsonPatch(r.object, patch as JsonPatchOperation[]);
      } catch (err) {
        throw fail(`${describe(r.object)}: ${(err as Error).message}`);
      }
      r.patchedBy.push(patchFile);
    }
    return resources;
  }
  if (!isRecord(patch)) throw fail('a patch must be a mapping (strategic merge) or a list (JSON 6902)');
  const matched = p.target
    ? resources.filter((r) => matchesSelector(r.object, p.target!))
    : resources.filter((r) => idOf(r.object, r.originalName) === idOf(asObject(clone(patch), patchFile, 1)));
  if (matched.length === 0) throw fail(p.target ? `target ${JSON.stringify(p.target)} matches nothing` : `no resource matches ${describe(asObject(patch, patchFile, 1))}`);
  const deleted = new Set<RenderedResource>();
  for (const r of matched) {
    const merged = applyStrategicMerge(r.object, patch);
    if (merged === undefined) deleted.add(r);
    else r.object = merged;
    r.patchedBy.push(patchFile);
  }
  return resources.filter((r) => !deleted.has(r));
}
