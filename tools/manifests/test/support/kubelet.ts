import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';

/**
 * A ConfigMap volume laid out the way kubelet writes it: the files in a timestamped directory, `..data` pointing at
 * it, and one symlink per key (`cart.yaml -> ..data/cart.yaml`), so an update swaps one link atomically.
 */
export function mountConfigMap(files: { name: string; text: string }[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'manifests-configmap-'));
  const versioned = '..2026_01_01_00_00_00.000000001';
  mkdirSync(path.join(dir, versioned));
  for (const f of files) writeFileSync(path.join(dir, versioned, f.name), f.text);
  symlinkSync(versioned, path.join(dir, '..data'));
  for (const f of files) symlinkSync(path.join('..data', f.name), path.join(dir, f.name));
  return dir;
}

/**
 * Points a Component's in-cluster endpoints at servers on this machine (`redisHost: redis:6379` →
 * `127.0.0.1:6379`); every other field stays as the overlay wrote it.
 */
export function withLocalEndpoints(text: string, endpoints: Record<string, string>): string {
  return parseAllDocuments(text)
    .map((doc) => {
      const value = doc.toJSON() as { kind?: string; spec?: { metadata?: { name: string; value?: unknown }[] } } | null;
      for (const item of value?.kind === 'Component' ? (value.spec?.metadata ?? []) : []) {
        const local = endpoints[`${item.name}=${String(item.value)}`];
        if (local !== undefined) item.value = local;
      }
      return value === null ? '' : stringify(value);
    })
    .filter(Boolean)
    .join('---\n');
}
