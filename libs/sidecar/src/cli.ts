import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseByteQuantity } from './duration';
import { errorMessage } from './errors';
import { APP_ID } from './invocation/method-path';
import { type LogLevel, type SidecarMode, type SidecarOptions } from './options';
import { createSidecar } from './sidecar';
import { VERSION } from './version';

const FLAGS = {
  'app-id': { type: 'string' },
  'app-port': { type: 'string' },
  'app-protocol': { type: 'string' },
  'app-channel-address': { type: 'string' },
  'dapr-http-port': { type: 'string' },
  'dapr-internal-grpc-port': { type: 'string' },
  'dapr-listen-addresses': { type: 'string' },
  'dapr-public-port': { type: 'string' },
  'resources-path': { type: 'string', multiple: true },
  'components-path': { type: 'string', multiple: true },
  config: { type: 'string' },
  mode: { type: 'string' },
  'log-level': { type: 'string' },
  'log-as-json': { type: 'boolean' },
  'enable-api-logging': { type: 'boolean' },
  'max-body-size': { type: 'string' },
  'dapr-http-max-request-size': { type: 'string' },
  'read-buffer-size': { type: 'string' },
  'dapr-graceful-shutdown-seconds': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

export const HELP = `Usage: sidecar --app-id <id> [flags]
       sidecar run -f dapr.yaml [flags]    run every app of a multi-app run file (see sidecar run --help)

A Dapr-compatible sidecar: daprd's HTTP API (invocation, state, pub/sub, secrets, metadata, health) for one app.

Flags (daprd's names; Go-style -flag and --flag=value forms are accepted):
  --app-id <id>                        the app's id (required)
  --app-port <port>                    where the app listens; without it there is no app channel
  --app-protocol http                  only http is supported
  --app-channel-address <host>         the app's host (default 127.0.0.1)
  --dapr-http-port <port>              the API port (default 3500; 0 picks a free port)
  --dapr-internal-grpc-port <port>     where peer sidecars call this one (HTTP; default random, 50002 in kubernetes mode)
  --dapr-listen-addresses <a,b>        addresses the API listens on (default 127.0.0.1)
  --dapr-public-port <port>            health and metadata only, on every address (for kubelet probes)
  --resources-path <dir>               a directory of Component/Subscription/Resiliency YAML; repeatable
  --components-path <dir>              deprecated alias of --resources-path
  --config <file>                      a Configuration resource file
  --mode standalone|kubernetes         name resolution: local registry, or {app-id}-dapr.{namespace} Services
  --log-level debug|info|warn|error    (default info)
  --log-as-json                        JSON log lines
  --enable-api-logging                 one log line per API request
  --max-body-size <quantity>           largest request body, e.g. 4Mi (default), 16Mi; larger gets 413
  --dapr-http-max-request-size <MB>    deprecated form of --max-body-size, in MB
  --read-buffer-size <quantity>        header buffer, as daprd's (default 4Ki; headers may use this plus 4Ki)
  --dapr-graceful-shutdown-seconds <n> how long in-flight work may finish on shutdown (default 5)
  -h, --help                           this text
  --version                            the sidecar's version

Environment: DAPR_API_TOKEN (required on API calls as dapr-api-token), APP_API_TOKEN (sent to the app),
NAMESPACE (this app's namespace), SIDECAR_REGISTRY_DIR (standalone name resolution's directory).
`;

export class UsageError extends Error {}

/** Maps daprd's command line and environment onto sidecar options; throws UsageError naming what is wrong. */
export function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv): SidecarOptions | 'help' | 'version' {
  let values: ReturnType<typeof parse>;
  try {
    values = parse(normaliseGoFlags(argv));
  } catch (err) {
    // parseArgs explains some mistakes over several lines; the first one names the problem.
    throw new UsageError(errorMessage(err).split('\n', 1)[0]!.replace(/\. To specify a positional argument.*$/, ''));
  }
  if (values.help) return 'help';
  if (values.version) return 'version';

  const appId = values['app-id'];
  if (!appId) throw new UsageError('--app-id is required');
  if (!APP_ID.test(appId)) throw new UsageError(`--app-id '${appId}' must be letters, digits, '-' or '_' (at most 63, no dots)`);
  if (values['app-protocol'] && values['app-protocol'] !== 'http') {
    throw new UsageError(`--app-protocol ${values['app-protocol']} is not supported; use http`);
  }
  const mode = oneOf<SidecarMode>('--mode', values.mode, ['standalone', 'kubernetes']) ?? 'standalone';
  const maxBody = values['max-body-size'] ?? (values['dapr-http-max-request-size'] ? `${values['dapr-http-max-request-size']}Mi` : undefined);

  return {
    appId,
    appPort: port('--app-port', values['app-port']),
    appProtocol: 'http',
    appChannelAddress: values['app-channel-address'],
    daprHttpPort: port('--dapr-http-port', values['dapr-http-port'], true),
    daprInternalPort: port('--dapr-internal-grpc-port', values['dapr-internal-grpc-port'], true),
    publicPort: port('--dapr-public-port', values['dapr-public-port']),
    listenAddresses: values['dapr-listen-addresses']?.split(',').map((a) => a.trim().replace(/^\[(.*)\]$/, '$1')).filter(Boolean),
    resourcesPaths: [...(values['resources-path'] ?? []), ...(values['components-path'] ?? [])],
    configPath: values.config,
    mode,
    namespace: env['NAMESPACE'] || undefined,
    apiToken: env['DAPR_API_TOKEN'] || undefined,
    appApiToken: env['APP_API_TOKEN'] || undefined,
    logLevel: oneOf<LogLevel>('--log-level', values['log-level'], ['debug', 'info', 'warn', 'error']),
    logAsJson: values['log-as-json'],
    enableApiLogging: values['enable-api-logging'],
    maxBodyBytes: size('--max-body-size', maxBody),
    readBufferBytes: size('--read-buffer-size', values['read-buffer-size']),
    gracefulShutdownSeconds: integer('--dapr-graceful-shutdown-seconds', values['dapr-graceful-shutdown-seconds'], 0, 3600),
    registryDir: env['SIDECAR_REGISTRY_DIR'] || undefined,
  };
}

function parse(args: string[]) {
  return parseArgs({ args, options: FLAGS, strict: true, allowPositionals: false }).values;
}

const BOOLEAN_FLAGS = new Set(Object.entries(FLAGS).filter(([, f]) => f.type === 'boolean').map(([name]) => name));

/** Accepts Go's `-flag` spelling and `--bool-flag=true|false`, as daprd's command line does. */
function normaliseGoFlags(argv: string[]): string[] {
  const out: string[] = [];
  for (let arg of argv) {
    if (/^-[a-z][a-z-]+/.test(arg)) arg = `-${arg}`;
    const m = /^--([a-z-]+)=(true|false)$/.exec(arg);
    if (m && BOOLEAN_FLAGS.has(m[1]!)) {
      if (m[2] === 'true') out.push(`--${m[1]}`);
      continue;
    }
    out.push(arg);
  }
  return out;
}

function port(flag: string, value: string | undefined, allowZero = false): number | undefined {
  return integer(flag, value, allowZero ? 0 : 1, 65535);
}

function integer(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got '${value}'`);
  return n;
}

function size(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseByteQuantity(value);
  } catch (err) {
    throw new UsageError(`${flag}: ${errorMessage(err)}`);
  }
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got '${value}'`);
  return value as T;
}

/** Runs the sidecar until SIGINT/SIGTERM or `/v1.0/shutdown`; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'run') return (await import('./run/command')).runCommand(argv.slice(1));
  let options: ReturnType<typeof parseCommandLine>;
  try {
    options = parseCommandLine(argv, process.env);
  } catch (err) {
    process.stderr.write(`sidecar: ${errorMessage(err)} (see sidecar --help)\n`);
    return 1;
  }
  if (options === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (options === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const sidecar = createSidecar(options);
  try {
    await sidecar.start();
  } catch (err) {
    process.stderr.write(`sidecar: ${errorMessage(err)}\n`);
    await sidecar.stop().catch(() => undefined);
    return 1;
  }
  return new Promise<number>((resolve) => {
    let signals = 0;
    const stop = () => {
      if (++signals > 1) return resolve(130); // a second Ctrl-C does not wait for the graceful period
      sidecar.stop().then(() => resolve(0), () => resolve(1));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    sidecar.onShutdownRequested(stop);
  });
}

