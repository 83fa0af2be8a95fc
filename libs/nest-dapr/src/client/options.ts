/** Where the sidecar is and how to talk to it; `daprOptionsFromEnv` reads what daprd and the SDKs read. */
export interface DaprClientOptions {
  /** The sidecar's HTTP API port (`DAPR_HTTP_PORT`, default 3500). */
  httpPort: number;
  /** The sidecar runs beside the app (same pod, same machine), so loopback, as the JS SDK assumes. */
  host: string;
  /** Sent as `dapr-api-token` when the sidecar was started with `DAPR_API_TOKEN`. */
  apiToken?: string;
  /** How long calls wait for the sidecar's outbound health before they fail. */
  sidecarTimeoutMs: number;
}

export const DEFAULT_DAPR_HTTP_PORT = 3500;

export function daprOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DaprClientOptions {
  return {
    httpPort: intFromEnv(env, 'DAPR_HTTP_PORT', DEFAULT_DAPR_HTTP_PORT),
    host: '127.0.0.1',
    apiToken: env['DAPR_API_TOKEN'] || undefined,
    sidecarTimeoutMs: 60_000,
  };
}

/** The app's own port: `PORT`, or the default the app's entry in dapr.yaml uses. */
export function portFromEnv(defaultPort: number, env: NodeJS.ProcessEnv = process.env): number {
  return intFromEnv(env, 'PORT', defaultPort);
}

export function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got '${raw}'`);
  return value;
}
