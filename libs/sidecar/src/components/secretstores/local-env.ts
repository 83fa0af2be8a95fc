import type { ComponentContext } from '../registry';
import type { SecretStore } from './secret-store';

/** Never handed out, whatever the prefix: the sidecar's own credentials. */
const RESERVED = /^(DAPR_|APP_API_TOKEN$)/;

/**
 * `secretstores.local.env`: environment variables as secrets. With `prefix`, only variables starting with it
 * are visible, named without it. A missing variable is `{"name": ""}`, not an error, as in daprd.
 */
export class LocalEnvSecretStore implements SecretStore {
  constructor(
    private readonly prefix: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  async getSecret(name: string): Promise<Record<string, string>> {
    const variable = this.prefix + name;
    if (RESERVED.test(variable)) return { [name]: '' };
    return { [name]: this.env[variable] ?? '' };
  }

  async bulkGetSecret(): Promise<Record<string, Record<string, string>>> {
    const out: Record<string, Record<string, string>> = {};
    for (const [variable, value] of Object.entries(this.env)) {
      if (value === undefined || RESERVED.test(variable) || !variable.startsWith(this.prefix)) continue;
      const name = variable.slice(this.prefix.length);
      if (name) out[name] = { [name]: value };
    }
    return out;
  }
}

export function createLocalEnvSecretStore(ctx: ComponentContext): SecretStore {
  return new LocalEnvSecretStore(ctx.metadata.string('prefix', '')!, process.env);
}
