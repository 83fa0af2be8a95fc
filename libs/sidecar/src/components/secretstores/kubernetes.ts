import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Agent, request } from 'undici';
import { ComponentConfigError, errorMessage } from '../../errors';
import type { ComponentContext } from '../registry';
import { SecretNotFoundError, type SecretStore } from './secret-store';

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** Projected service-account tokens rotate; client-go re-reads the file about once a minute too. */
const TOKEN_REFRESH_MS = 60_000;

export interface KubernetesApiSettings {
  /** `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`, or the `apiServerUrl` metadata. */
  baseUrl: string;
  tokenPath: string;
  /** The CA that signed the API server's certificate (used for https). */
  ca?: string;
  /** `defaultNamespace`, else the sidecar's NAMESPACE, else the pod's namespace file. */
  defaultNamespace?: string;
}

interface SecretObject {
  metadata?: { name?: string };
  data?: Record<string, string>;
}

/**
 * `secretstores.kubernetes`: reads Secrets from the API server with the pod's service-account token, as daprd
 * does in Kubernetes mode. Multi-valued: a secret is every key of the Secret, base64-decoded. Per request,
 * `metadata.namespace` picks the namespace.
 */
export class KubernetesSecretStore implements SecretStore {
  private token?: { value: string; readAt: number };

  constructor(
    private readonly settings: KubernetesApiSettings,
    private readonly agent: Agent,
  ) {}

  async getSecret(name: string, metadata: Record<string, string>): Promise<Record<string, string>> {
    const namespace = this.namespaceOf(metadata);
    const secret = await this.get<SecretObject>(`/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`, name);
    return decode(secret.data);
  }

  async bulkGetSecret(metadata: Record<string, string>): Promise<Record<string, Record<string, string>>> {
    const namespace = this.namespaceOf(metadata);
    const list = await this.get<{ items?: SecretObject[] }>(`/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`);
    const out: Record<string, Record<string, string>> = {};
    for (const item of list.items ?? []) if (item.metadata?.name) out[item.metadata.name] = decode(item.data);
    return out;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private namespaceOf(metadata: Record<string, string>): string {
    const namespace = metadata['namespace'] || this.settings.defaultNamespace;
    if (!namespace) throw new Error('namespace is missing on metadata and NAMESPACE env variable');
    return namespace;
  }

  private async get<T>(apiPath: string, secretName?: string): Promise<T> {
    const res = await request(this.settings.baseUrl + apiPath, {
      method: 'GET',
      headers: { authorization: `Bearer ${await this.bearerToken()}`, accept: 'application/json' },
      dispatcher: this.agent,
    });
    const text = await res.body.text();
    if (res.statusCode === 404 && secretName !== undefined) throw new SecretNotFoundError(secretName);
    if (res.statusCode !== 200) throw new Error(`the Kubernetes API answered ${res.statusCode}: ${statusMessage(text)}`);
    return JSON.parse(text) as T;
  }

  private async bearerToken(): Promise<string> {
    if (!this.token || Date.now() - this.token.readAt > TOKEN_REFRESH_MS) {
      this.token = { value: (await readFile(this.settings.tokenPath, 'utf8')).trim(), readAt: Date.now() };
    }
    return this.token.value;
  }
}

function decode(data: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(data ?? {})) out[key] = Buffer.from(value, 'base64').toString('utf8');
  return out;
}

/** The `message` of a Kubernetes Status body, or the text itself. */
function statusMessage(text: string): string {
  try {
    const status = JSON.parse(text) as { message?: unknown };
    if (typeof status.message === 'string') return status.message;
  } catch {
    // not JSON
  }
  return text.slice(0, 200);
}

export async function createKubernetesSecretStore(ctx: ComponentContext): Promise<SecretStore> {
  const md = ctx.metadata;
  const fail = (detail: string) => new ComponentConfigError(ctx.name, detail);
  if (md.has('kubeconfigPath')) throw fail('kubeconfigPath is not supported by this sidecar; it reads Secrets in-cluster (or set apiServerUrl, tokenPath and caPath)');
  const baseUrl = (md.string('apiServerUrl') ?? inClusterUrl())?.replace(/\/+$/, '');
  if (!baseUrl) throw fail('not running inside Kubernetes (KUBERNETES_SERVICE_HOST is not set) and no apiServerUrl is given');
  if (!/^https?:\/\//.test(baseUrl)) throw fail(`apiServerUrl must be an http(s) URL, got '${baseUrl}'`);
  const tokenPath = md.string('tokenPath', path.join(SERVICE_ACCOUNT_DIR, 'token'))!;
  const caPath = md.string('caPath', path.join(SERVICE_ACCOUNT_DIR, 'ca.crt'))!;

  const settings: KubernetesApiSettings = {
    baseUrl,
    tokenPath,
    ca: baseUrl.startsWith('https:') ? await readConfigFile(caPath, 'caPath', fail) : undefined,
    defaultNamespace: md.string('defaultNamespace') ?? ctx.namespace ?? (await readOptional(path.join(path.dirname(tokenPath), 'namespace'))),
  };
  await readConfigFile(tokenPath, 'tokenPath', fail);
  return new KubernetesSecretStore(settings, new Agent({ connect: settings.ca ? { ca: settings.ca } : {} }));
}

function inClusterUrl(): string | undefined {
  const host = process.env['KUBERNETES_SERVICE_HOST'];
  const port = process.env['KUBERNETES_SERVICE_PORT'];
  if (!host || !port) return undefined;
  return `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

async function readConfigFile(file: string, field: string, fail: (detail: string) => Error): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw fail(`cannot read ${field} ${file}: ${errorMessage(err)}`);
  }
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}
