import { isIP } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { ComponentConfigError, errorMessage } from '../errors';
import type { ComponentMetadata } from './metadata';

/**
 * The connection fields daprd's Redis components share (components-contrib `common/component/redis/settings.go`),
 * parsed once into what ioredis needs. Used by `state.redis` and `pubsub.redis`.
 */
export interface RedisSettings {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db: number;
  tls?: { rejectUnauthorized: boolean; servername?: string; cert?: string; key?: string };
  minRetryIntervalMs: number;
  maxRetryIntervalMs: number;
  dialTimeoutMs: number;
  /** Bounds every command, so a request never hangs on a dead connection; also the block time of stream reads. */
  readTimeoutMs: number;
}

const DEFAULT_PORT = 6379;

export function parseRedisSettings(md: ComponentMetadata): RedisSettings {
  const fail = (detail: string) => new ComponentConfigError(md.componentName, detail);
  const hostText = md.required('redisHost').trim();
  if (hostText.includes(',')) throw fail('redisHost lists several addresses; Redis Cluster and Sentinel are not supported by this sidecar');
  const redisType = md.enumOf('redisType', ['node', 'cluster'] as const, 'node');
  if (redisType === 'cluster') throw fail('redisType cluster is not supported by this sidecar; use a single node (redisType: node)');
  if (md.bool('failover', false)) throw fail('failover (Redis Sentinel) is not supported by this sidecar');
  if (md.bool('useEntraID', false) || md.bool('useAzureAD', false) || md.bool('useOIDC', false)) {
    throw fail('Entra ID and OIDC authentication are not supported by this sidecar; use redisUsername/redisPassword');
  }

  const { host, port } = splitHostPort(hostText, md.has('redisPort') ? md.int('redisPort', DEFAULT_PORT, { min: 1, max: 65535 }) : undefined, fail);
  const enableTLS = md.bool('enableTLS', false);
  const clientCert = md.string('clientCert');
  const clientKey = md.string('clientKey');
  if (Boolean(clientCert) !== Boolean(clientKey)) throw fail('clientCert and clientKey must be set together');

  // Validated for daprd compatibility; commands are never retried here (see connectRedis).
  md.int('redisMaxRetries', 3, { min: -1 });
  return {
    host,
    port,
    username: md.string('redisUsername'),
    password: md.string('redisPassword'),
    db: md.int('redisDB', 0, { min: 0 }),
    tls: enableTLS
      ? {
          rejectUnauthorized: !md.bool('insecureSkipTLSVerify', false),
          // SNI carries names only (RFC 6066); an IP is checked against the certificate's IP SANs without it.
          ...(isIP(host) ? {} : { servername: host }),
          ...(clientCert ? { cert: clientCert, key: clientKey } : {}),
        }
      : undefined,
    minRetryIntervalMs: redisDuration(md, 'redisMinRetryInterval', 8),
    maxRetryIntervalMs: redisDuration(md, 'redisMaxRetryInterval', 512),
    dialTimeoutMs: redisDuration(md, 'dialTimeout', 5000) || 5000,
    readTimeoutMs: redisDuration(md, 'readTimeout', 3000) || 3000,
  };
}

/**
 * daprd's `host:port`, with `redisPort` appended when the host has none; a port in both places must agree
 * (settings.go `resolveAddr`).
 */
function splitHostPort(text: string, redisPort: number | undefined, fail: (d: string) => Error): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  if (!m) return { host: text.replace(/^\[|\]$/g, ''), port: redisPort ?? DEFAULT_PORT };
  const port = Number(m[2]);
  if (redisPort !== undefined && redisPort !== port) {
    throw fail(`redis host "${text}" already contains port ${port}, but redisPort is set to ${redisPort}; remove one of them`);
  }
  return { host: m[1]!, port };
}

/** Redis settings durations: a Go duration, or a bare number of milliseconds; a negative number disables (0). */
function redisDuration(md: ComponentMetadata, name: string, fallbackMs: number): number {
  const raw = md.string(name);
  if (raw !== undefined && /^-\d+$/.test(raw.trim())) return 0;
  return md.durationMs(name, fallbackMs, 1);
}

export interface ConnectOptions {
  /** Shown in logs and errors ("redis store", "redis streams"). */
  role: string;
  logger: Logger;
  /** Extra ioredis options for this connection (e.g. a blocking reader without a command timeout). */
  overrides?: Partial<RedisOptions>;
}

/**
 * Connects once and fails init when Redis does not answer (as daprd's Ping at Init does). After the first
 * success the client reconnects forever, backing off from redisMinRetryInterval to redisMaxRetryInterval.
 * While it is disconnected, commands fail at once instead of waiting in a queue, and commands already sent
 * fail when the connection drops (they are not re-sent: a write may already have been applied, and the caller
 * decides whether to retry). So during an outage a request gets a 500 right away and never hangs;
 * `readTimeout` bounds a command on a connection that stays open but stops answering.
 */
export async function connectRedis(settings: RedisSettings, opts: ConnectOptions): Promise<Redis> {
  let everReady = false;
  const client = new Redis({
    host: settings.host,
    port: settings.port,
    username: settings.username,
    password: settings.password,
    db: settings.db,
    tls: settings.tls,
    lazyConnect: true,
    connectTimeout: settings.dialTimeoutMs,
    commandTimeout: settings.readTimeoutMs,
    enableOfflineQueue: false,
    // 0: the commands in flight are rejected on the first close instead of after several reconnect attempts.
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt) => (everReady ? backoff(settings, attempt) : null),
    ...opts.overrides,
  });
  const where = `${settings.host}:${settings.port}`;
  let down = false;
  client.on('error', (err: Error) => {
    if (!everReady || down) return;
    down = true;
    opts.logger.warn({ err: err.message }, `${opts.role}: lost the connection to redis at ${where}; reconnecting`);
  });
  client.on('ready', () => {
    if (down) opts.logger.info(`${opts.role}: reconnected to redis at ${where}`);
    down = false;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    client.disconnect();
    throw new Error(`${opts.role}: error connecting to redis at ${where}: ${errorMessage(err)}`);
  }
  everReady = true;
  return client;
}

/**
 * A clearer error for a command that failed because Redis is down than ioredis's "Stream isn't writeable...".
 */
export function redisCommandError(client: Redis, err: unknown): unknown {
  if (client.status === 'ready' || !(err instanceof Error)) return err;
  const { host, port } = client.options;
  return new Error(`redis at ${host}:${port} is not reachable (connection ${client.status}): ${err.message}`);
}

/** A second connection with the same settings, for commands that block (XREADGROUP ... BLOCK). */
export function duplicateConnection(client: Redis, overrides: Partial<RedisOptions>): Redis {
  const copy = client.duplicate({ lazyConnect: true, ...overrides });
  copy.on('error', () => {
    // The owner logs outages through the main client; a blocking reader just retries its read.
  });
  return copy;
}

function backoff(settings: RedisSettings, attempt: number): number {
  const min = Math.max(settings.minRetryIntervalMs, 1);
  return Math.min(min * 2 ** Math.min(attempt - 1, 20), Math.max(settings.maxRetryIntervalMs, min));
}

/** Closes politely, and forcibly when Redis does not answer. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  try {
    await Promise.race([client.quit(), new Promise((_, reject) => setTimeout(() => reject(new Error('quit timed out')), 1000).unref())]);
  } catch {
    client.disconnect();
  }
}
