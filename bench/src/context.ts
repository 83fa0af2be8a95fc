import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchConfig } from './config';
import type { LoadGenerator } from './load/client';

export interface BenchContext {
  config: BenchConfig;
  lg: LoadGenerator;
  /** Scratch space for resources and registries; removed at the end. */
  tmp: string;
  /** Where `--profile` writes the sidecars' .cpuprofile files. */
  profileDir: string;
  log(message: string): void;
}

export function scratchDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'sidecar-bench-'));
}

/** A resources directory holding one YAML file. */
export function writeResources(ctx: BenchContext, name: string, yaml: string): string {
  const dir = path.join(ctx.tmp, `resources-${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'components.yaml'), yaml);
  return dir;
}

export function component(name: string, type: string, metadata: Record<string, string> = {}, scopes: string[] = []): string {
  const items = Object.entries(metadata).map(([k, v]) => `      - name: ${k}\n        value: "${v}"`);
  return [
    ...(scopes.length > 0 ? [`scopes: [${scopes.join(', ')}]`] : []),
    'apiVersion: dapr.io/v1alpha1',
    'kind: Component',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    `  type: ${type}`,
    '  version: v1',
    items.length > 0 ? `  metadata:\n${items.join('\n')}` : '  metadata: []',
  ].join('\n');
}

/** A JSON object of about `bytes` bytes, the payload every path carries. */
export function jsonPayload(bytes: number, extra: Record<string, string> = {}): string {
  const head = JSON.stringify({ ...extra, pad: '' });
  return head.replace('"pad":""', `"pad":"${'x'.repeat(Math.max(0, bytes - head.length))}"`);
}

/** Node flags that make a sidecar write a CPU profile when `--profile` is on. */
export function profileArgs(ctx: BenchContext, name: string): string[] {
  return ctx.config.profile ? ['--cpu-prof', `--cpu-prof-dir=${ctx.profileDir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
}
