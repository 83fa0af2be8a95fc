import { statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { errorMessage } from '../errors';
import type { LogLevel } from '../options';
import { loadRunFile } from './run-file';
import { runApps } from './runner';
import { LOCAL_PROFILE, selectApps, SERVICES_PROFILE } from './selection';

const FLAGS = {
  'run-file': { type: 'string', short: 'f' },
  'resources-path': { type: 'string', multiple: true },
  services: { type: 'boolean' },
  only: { type: 'string' },
  'no-build': { type: 'boolean' },
  'exit-on-failure': { type: 'boolean' },
  'log-level': { type: 'string' },
  'ready-timeout': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export const RUN_HELP = `Usage: sidecar run -f <dapr.yaml> [flags]

Runs every app of a Dapr multi-app run file (the file \`dapr run -f\` reads): builds them with Nx, starts each
app's sidecar inside this process (so in-memory components such as pubsub.in-memory are shared by all apps)
and each app as its own process, shows each app's state (starting, ready, failed) and the URLs once all are
ready, and prefixes every line an app prints with its app id. Ctrl-C stops every app (SIGTERM to its process
group, SIGKILL after a few seconds) and every sidecar. A failed app is reported and not restarted.

Flags:
  -f, --run-file <file|dir>   the run file, or a directory holding dapr.yaml (default ./dapr.yaml)
  --resources-path <dir>      use these resources for every app instead of the file's; repeatable
  --services                  every resources path ending in ${LOCAL_PROFILE} becomes ${SERVICES_PROFILE}
                              (the same components on Redis, NATS JetStream and the SNS/SQS endpoint)
  --only <id,id>              run only these app ids
  --no-build                  do not run \`nx run-many -t build\` for the apps first
  --exit-on-failure           stop everything and exit 1 when an app fails (default: the others keep running)
  --log-level <level>         the sidecars' log level: debug, info, warn (default), error
  --ready-timeout <seconds>   how long an app may take to become ready (default 60)
  -h, --help                  this text

An app is ready when its port accepts connections and, if it has appHealthCheckPath, that path answers 2xx.
Each app gets APP_ID, APP_PORT, PORT, DAPR_HTTP_PORT and APP_PROTOCOL, then the env of the run file.
`;

const STOP_GRACE_MS = 5000;

export async function runCommand(argv: string[]): Promise<number> {
  let values: ReturnType<typeof parse>;
  try {
    values = parse(argv);
  } catch (err) {
    return usage(errorMessage(err).replace(/\. To specify a positional argument.*$/, ''));
  }
  if (values.help) {
    process.stdout.write(RUN_HELP);
    return 0;
  }
  const logLevel = (values['log-level'] ?? 'warn') as LogLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) return usage(`--log-level must be one of debug, info, warn, error, got '${logLevel}'`);
  const timeout = values['ready-timeout'] ?? '60';
  if (!/^\d+$/.test(timeout) || Number(timeout) < 1) return usage(`--ready-timeout must be a whole number of seconds, got '${timeout}'`);

  let apps;
  let file: string;
  try {
    file = runFilePath(values['run-file'] ?? '.');
    const runFile = loadRunFile(file);
    apps = selectApps(runFile, {
      only: values.only?.split(',').map((s) => s.trim()).filter(Boolean),
      resourcesPaths: values['resources-path'],
      services: values.services,
    });
  } catch (err) {
    process.stderr.write(`sidecar run: ${errorMessage(err)}\n`);
    return 1;
  }
  const profile = values['resources-path']?.length ? values['resources-path'].join(', ') : values.services ? 'services profile' : 'resources from the run file';
  return runApps({
    apps,
    description: `${apps.length} app${apps.length === 1 ? '' : 's'} from ${path.relative(process.cwd(), path.resolve(file)) || file} (${profile})`,
    build: !values['no-build'],
    exitOnFailure: values['exit-on-failure'] ?? false,
    sidecarLogLevel: logLevel,
    readyTimeoutMs: Number(timeout) * 1000,
    stopGraceMs: STOP_GRACE_MS,
  });
}

function parse(args: string[]) {
  return parseArgs({ args, options: FLAGS, strict: true, allowPositionals: false }).values;
}

/** As with `dapr run -f`: a directory means the dapr.yaml inside it. */
function runFilePath(given: string): string {
  try {
    if (statSync(given).isDirectory()) return path.join(given, 'dapr.yaml');
  } catch {
    // not there: loadRunFile names it
  }
  return given;
}

function usage(message: string): number {
  process.stderr.write(`sidecar run: ${message} (see sidecar run --help)\n`);
  return 1;
}
