import { readFile } from 'node:fs/promises';
import { ComponentConfigError, errorMessage } from '../../errors';
import type { ComponentContext } from '../registry';
import { SecretNotFoundError, type SecretStore } from './secret-store';

/**
 * `secretstores.local.file`: secrets from a JSON file, read once at init. Nested objects flatten into
 * `a:b:c` keys (the separator is `nestedSeparator`); with `multiValued`, top-level keys are secrets.
 */
export class LocalFileSecretStore implements SecretStore {
  constructor(
    private readonly secrets: Map<string, Record<string, string>>,
  ) {}

  async getSecret(name: string): Promise<Record<string, string>> {
    const secret = this.secrets.get(name);
    if (!secret) throw new SecretNotFoundError(name);
    return secret;
  }

  async bulkGetSecret(): Promise<Record<string, Record<string, string>>> {
    return Object.fromEntries(this.secrets);
  }
}

export async function createLocalFileSecretStore(ctx: ComponentContext): Promise<SecretStore> {
  const file = ctx.metadata.required('secretsFile');
  const separator = ctx.metadata.string('nestedSeparator', ':')!;
  const multiValued = ctx.metadata.bool('multiValued', false);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new ComponentConfigError(ctx.name, `cannot read secretsFile ${file}: ${errorMessage(err)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ComponentConfigError(ctx.name, `secretsFile ${file} must hold a JSON object`);
  }
  const secrets = new Map<string, Record<string, string>>();
  if (multiValued) {
    for (const [name, value] of Object.entries(parsed)) {
      const flat = flatten(value, '', separator);
      secrets.set(name, typeof value === 'object' && value !== null ? flat : { [name]: String(value) });
    }
  } else {
    for (const [key, value] of Object.entries(flatten(parsed, '', separator))) secrets.set(key, { [key]: value });
  }
  return new LocalFileSecretStore(secrets);
}

function flatten(value: unknown, prefix: string, separator: string, out: Record<string, string> = {}): Record<string, string> {
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}${separator}${k}` : k, separator, out);
  } else if (prefix) {
    out[prefix] = value === null ? '' : String(value);
  }
  return out;
}
