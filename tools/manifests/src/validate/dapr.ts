import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadResources, ResourceError, supportedTypes, type LoadedResources } from '@repo/sidecar';
import { stringify } from 'yaml';
import type { RenderedResource } from '../kustomize/resource';
import type { Problem } from '../problems';
import { isRecord, parseDocuments } from '../yaml-docs';
import { schemaValidator } from './json-schema';

/** One file of a sidecar's resources directory, and the repository file a problem in it should name. */
export interface DaprFile {
  name: string;
  text: string;
  source: string;
}

/** The files of a generated ConfigMap, each blamed on the file it was generated from. */
export function configMapFiles(configMap: RenderedResource): DaprFile[] {
  const data = (configMap.object['data'] ?? {}) as Record<string, string>;
  return Object.entries(data).map(([name, text]) => ({ name, text, source: configMap.sources?.[name] ?? configMap.origin.file }));
}

/** Dapr objects applied as custom resources (real Dapr), one file each, blamed on the file that declared them. */
export function customResourceFiles(resources: RenderedResource[]): DaprFile[] {
  return resources
    .filter((r) => r.object.apiVersion.startsWith('dapr.io/'))
    .map((r, i) => ({ name: `${String(i).padStart(3, '0')}-${r.object.kind.toLowerCase()}-${r.object.metadata.name}.yaml`, text: stringify(r.object), source: r.origin.file }));
}

const SCHEMAS: Record<string, string> = {
  'dapr.io/v1alpha1/Component': 'dapr/component_v1alpha1.json',
  'dapr.io/v1alpha1/Subscription': 'dapr/subscription_v1alpha1.json',
  'dapr.io/v2alpha1/Subscription': 'dapr/subscription_v2alpha1.json',
  'dapr.io/v1alpha1/Configuration': 'dapr/configuration_v1alpha1.json',
};

/** Each Dapr document against the CRD schema the API server enforces for it (stricter than a sidecar reading files). */
export function validateDaprSchemas(files: DaprFile[]): Problem[] {
  const problems: Problem[] = [];
  for (const f of files) {
    for (const doc of parseDocuments(f.text, f.source)) {
      if (!isRecord(doc.value) || typeof doc.value['apiVersion'] !== 'string' || !doc.value['apiVersion'].startsWith('dapr.io/')) continue;
      const key = `${doc.value['apiVersion']}/${String(doc.value['kind'])}`;
      const schema = SCHEMAS[key];
      const at = `document ${doc.document}`;
      if (!schema) {
        problems.push({ file: f.source, field: `${at}: kind`, message: `no Dapr CRD schema for ${key} in tools/manifests/schemas` });
        continue;
      }
      for (const issue of schemaValidator(schema)(doc.value)) problems.push({ file: f.source, field: `${at}: ${issue.field}`, message: `${issue.message} (Dapr's ${key} CRD)` });
    }
  }
  return problems;
}

/**
 * Loads the files exactly as a sidecar with this app id and namespace would (`loadResources` of libs/sidecar, with
 * its validation and scopes), and checks every component type is one the sidecar can create.
 */
export async function loadAsSidecar(files: DaprFile[], appId: string, namespace: string): Promise<{ loaded?: LoadedResources; problems: Problem[] }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'manifests-dapr-'));
  const sourceOf = new Map(files.map((f) => [path.join(dir, f.name), f.source]));
  try {
    for (const f of files) writeFileSync(path.join(dir, f.name), f.text);
    const loaded = await loadResources({ resourcesPaths: [dir], appId, namespace });
    const known = new Set(supportedTypes());
    const problems = loaded.components
      .filter((c) => !known.has(c.type))
      .map((c) => ({
        file: sourceOf.get(c.origin.file) ?? c.origin.file,
        field: `document ${c.origin.document}: spec.type`,
        message: `the sidecar has no component type ${c.type}; it supports ${[...known].join(', ')}`,
      }));
    return { loaded, problems };
  } catch (err) {
    if (!(err instanceof ResourceError)) throw err;
    const prefix = `${err.file} (document ${err.document})${err.field ? `, field ${err.field}` : ''}: `;
    const message = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
    return { problems: [{ file: sourceOf.get(err.file) ?? err.file, field: `document ${err.document}: ${err.field}`, message: `the sidecar (app ${appId}) refuses it: ${message}` }] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
