import { readFileSync } from 'node:fs';
import path from 'node:path';

export const INFRA_ROOT = path.resolve(__dirname, '../..');
export const REPO_ROOT = path.resolve(INFRA_ROOT, '..');

/**
 * The `config:` map of a stack file such as Pulumi.dev.yaml. Stack files that `pulumi config set` writes are flat
 * `key: value` maps (a secret is `key: {secure: …}`), so each entry is one line.
 */
export function readStackConfig(stack: string): Record<string, string> {
  const text = readFileSync(path.join(INFRA_ROOT, `Pulumi.${stack}.yaml`), 'utf8');
  const config: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^ {2}([\w-]+:[\w-]+):\s*(.*)$/.exec(line);
    if (match) config[match[1]!] = unquote(match[2]!.trim());
  }
  return config;
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}
