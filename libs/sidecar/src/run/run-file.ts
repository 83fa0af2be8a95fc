import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { parseByteQuantity } from '../duration';
import { errorMessage } from '../errors';
import { APP_ID } from '../invocation/method-path';
import type { LogLevel } from '../options';

/**
 * Dapr's multi-app run file (`dapr run -f`), read the way the Dapr CLI reads it: paths in `common` and every
 * `appDirPath` are relative to the file, an app's own paths relative to its `appDirPath`; an app's value wins
 * over `common`'s; resources come from the app's `resourcesPaths`, else `<appDirPath>/.dapr/resources`, else
 * `common`'s. Fields the Dapr CLI knows that have no meaning here (gRPC, metrics, log files...) are accepted and
 * ignored, so one file serves both; a field nobody knows is an error, because it is almost always a typo.
 */

/** One app as the runner starts it: every path absolute, `common` merged in. */
export interface RunApp {
  appId: string;
  appDirPath: string;
  /** No port: no app channel, as with daprd; the app is ready when its process runs. */
  appPort?: number;
  /** Undefined picks a free port, as the Dapr CLI does. */
  daprHttpPort?: number;
  daprInternalPort?: number;
  /** No command: only the sidecar runs (the app is started some other way). */
  command?: string[];
  env: Record<string, string>;
  resourcesPaths: string[];
  configPath?: string;
  appHealthCheckPath?: string;
  appChannelAddress: string;
  logLevel?: LogLevel;
  enableApiLogging?: boolean;
  maxBodyBytes?: number;
  readBufferBytes?: number;
}

export interface RunFile {
  file: string;
  apps: RunApp[];
}

/** A run file that cannot be used; names the file and the field. */
export class RunFileError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    detail: string,
  ) {
    super(`${file}${field ? `: ${field}` : ''}: ${detail}`);
    this.name = 'RunFileError';
  }
}

const required = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`);
const text = z.string({ error: required('a string') });
const port = z.number({ error: required('a port number') }).int('must be a whole number').min(1, 'must be from 1 to 65535').max(65535, 'must be from 1 to 65535');
const scalar = z.union([z.string(), z.number(), z.boolean()], { error: 'must be a string, number or boolean' }).transform(String);
const quantity = z.union([z.string(), z.number()], { error: 'must be a size such as 4Mi' }).transform((v, ctx) => {
  try {
    return parseByteQuantity(String(v));
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: errorMessage(err) });
    return z.NEVER;
  }
});
const pathList = z.union([z.string().transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean)), z.array(text)], { error: 'must be a path or a list of paths' });

/** Run-file fields of the Dapr CLI that configure what this runner does not have; accepted so `dapr run -f` reads the same file. */
const IGNORED = [
  'daprGRPCPort', 'metricsPort', 'profilePort', 'enableProfiling', 'unixDomainSocket', 'appMaxConcurrency',
  'placementHostAddress', 'schedulerHostAddress', 'runtimePath', 'appLogDestination', 'daprdLogDestination', 'appSSL',
  'enableAppHealthCheck', 'appHealthProbeInterval', 'appHealthProbeTimeout', 'appHealthThreshold', 'apiListenAddresses',
  'containerImage', 'containerImagePullPolicy', 'createService',
] as const;
const ignored = Object.fromEntries(IGNORED.map((k) => [k, z.unknown().optional()]));

const shared = {
  ...ignored,
  resourcesPath: text.optional(),
  resourcesPaths: pathList.optional(),
  configFilePath: text.optional(),
  appProtocol: z.literal('http', { error: 'must be http (the only app protocol supported)' }).optional(),
  appHealthCheckPath: text.regex(/^\//, "must start with '/'").optional(),
  logLevel: z.enum(['debug', 'info', 'warn', 'error'], { error: 'must be one of debug, info, warn, error' }).optional(),
  enableApiLogging: z.boolean({ error: 'must be true or false' }).optional(),
  maxBodySize: quantity.optional(),
  readBufferSize: quantity.optional(),
  env: z.record(z.string(), scalar, { error: 'must be a map of names to values' }).nullish(),
};

const appSchema = z.strictObject({
  ...shared,
  appID: text.regex(APP_ID, "must be letters, digits, '-' or '_' (at most 63, no dots)").optional(),
  appDirPath: text.min(1, 'is required'),
  appPort: port.optional(),
  daprHTTPPort: port.optional(),
  daprInternalGRPCPort: port.optional(),
  appChannelAddress: text.min(1).optional(),
  command: z.array(text.min(1, 'must not be empty'), { error: 'must be a list, e.g. ["node", "dist/main.js"]' }).min(1, 'must not be empty').optional(),
});

const runFileSchema = z.strictObject({
  version: z.literal(1, { error: (issue) => (issue.input === undefined ? 'is required (version: 1)' : 'must be 1') }),
  name: text.optional(),
  common: z.strictObject(shared).nullish(),
  apps: z.array(appSchema, { error: required('a list of apps') }).min(1, 'must list at least one app'),
});

type ParsedApp = z.infer<typeof appSchema>;
type Shared = z.infer<z.ZodObject<typeof shared>>;

/** Reads, validates and resolves a run file; throws RunFileError naming the field. */
export function loadRunFile(file: string): RunFile {
  const absolute = path.resolve(file);
  let source: string;
  try {
    source = readFileSync(absolute, 'utf8');
  } catch (err) {
    throw new RunFileError(file, '', `cannot read the run file (${errorMessage(err)})`);
  }
  return parseRunFile(source, absolute, file);
}

/** Validates run-file text; `absolute` anchors relative paths, `shown` is how errors name the file. */
export function parseRunFile(source: string, absolute: string, shown = absolute): RunFile {
  let raw: unknown;
  try {
    raw = parseYaml(source);
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? ` (line ${err.linePos[0].line}, column ${err.linePos[0].col})` : '';
    throw new RunFileError(shown, '', `not valid YAML${where}: ${errorMessage(err).split('\n')[0]}`);
  }
  const result = runFileSchema.safeParse(raw ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') {
      throw new RunFileError(shown, fieldPath([...issue.path, issue.keys[0]!]), 'unknown field (see the Dapr multi-app run template reference)');
    }
    throw new RunFileError(shown, fieldPath(issue.path), issue.message);
  }
  const baseDir = path.dirname(absolute);
  const common = result.data.common ?? {};
  const err = (field: string, detail: string) => new RunFileError(shown, field, detail);
  const commonPaths = {
    resources: sectionResources(common, baseDir, 'common', err),
    config: common.configFilePath ? existing(baseDir, common.configFilePath, 'common.configFilePath', 'file', err) : undefined,
  };
  const apps = result.data.apps.map((app, i) => resolveApp(app, `apps[${i}]`, baseDir, common, commonPaths, err));
  checkUnique(apps, err);
  return { file: absolute, apps };
}

function resolveApp(
  app: ParsedApp,
  field: string,
  baseDir: string,
  common: Shared,
  commonPaths: { resources: string[]; config?: string },
  err: (field: string, detail: string) => RunFileError,
): RunApp {
  const appDirPath = existing(baseDir, app.appDirPath, `${field}.appDirPath`, 'directory', err);
  const own = sectionResources(app, appDirPath, field, err);
  const dotDapr = path.join(appDirPath, '.dapr');
  const resourcesPaths = own.length ? own : isKind(path.join(dotDapr, 'resources'), 'directory') ? [path.join(dotDapr, 'resources')] : commonPaths.resources;
  const configPath = app.configFilePath
    ? existing(appDirPath, app.configFilePath, `${field}.configFilePath`, 'file', err)
    : isKind(path.join(dotDapr, 'config.yaml'), 'file')
      ? path.join(dotDapr, 'config.yaml')
      : commonPaths.config;
  const appId = app.appID ?? path.basename(appDirPath);
  if (!APP_ID.test(appId)) throw err(`${field}.appID`, `is not set, and the directory name '${appId}' is not a valid app id`);
  const env: Record<string, string> = { ...(common.env ?? {}), ...(app.env ?? {}) };
  return {
    appId,
    appDirPath,
    appPort: app.appPort,
    daprHttpPort: app.daprHTTPPort,
    daprInternalPort: app.daprInternalGRPCPort,
    command: app.command,
    env,
    resourcesPaths,
    configPath,
    appHealthCheckPath: app.appHealthCheckPath ?? common.appHealthCheckPath,
    appChannelAddress: app.appChannelAddress ?? '127.0.0.1',
    logLevel: app.logLevel ?? common.logLevel,
    enableApiLogging: app.enableApiLogging ?? common.enableApiLogging,
    maxBodyBytes: app.maxBodySize ?? common.maxBodySize,
    readBufferBytes: app.readBufferSize ?? common.readBufferSize,
  };
}

/** `resourcesPaths` then the older `resourcesPath`, as the Dapr CLI merges them; each must be a directory. */
function sectionResources(
  section: Pick<Shared, 'resourcesPaths' | 'resourcesPath'>,
  base: string,
  field: string,
  err: (field: string, detail: string) => RunFileError,
): string[] {
  const listed = (section.resourcesPaths ?? []).map((p, i) => existing(base, p, `${field}.resourcesPaths[${i}]`, 'directory', err));
  return section.resourcesPath ? [...listed, existing(base, section.resourcesPath, `${field}.resourcesPath`, 'directory', err)] : listed;
}

/** App ids and every port must be unique: two apps on one port would answer each other's traffic. */
function checkUnique(apps: RunApp[], err: (field: string, detail: string) => RunFileError): void {
  const ids = new Map<string, number>();
  const ports = new Map<number, string>();
  apps.forEach((app, i) => {
    const seen = ids.get(app.appId);
    if (seen !== undefined) throw err(`apps[${i}].appID`, `'${app.appId}' is already the app id of apps[${seen}]`);
    ids.set(app.appId, i);
    const named: [string, number | undefined][] = [
      ['appPort', app.appPort],
      ['daprHTTPPort', app.daprHttpPort],
      ['daprInternalGRPCPort', app.daprInternalPort],
    ];
    for (const [name, value] of named) {
      if (value === undefined) continue;
      const owner = ports.get(value);
      if (owner) throw err(`apps[${i}].${name}`, `port ${value} is already ${owner}`);
      ports.set(value, `${name} of apps[${i}]`);
    }
  });
}

function existing(
  base: string,
  value: string,
  field: string,
  kind: 'file' | 'directory',
  err: (field: string, detail: string) => RunFileError,
): string {
  const resolved = path.resolve(base, value.replace(/^~(?=$|\/)/, process.env['HOME'] ?? '~'));
  if (!isKind(resolved, kind)) throw err(field, `${value} is not a ${kind} (resolved to ${resolved})`);
  return resolved;
}

function isKind(p: string, kind: 'file' | 'directory'): boolean {
  try {
    const info = statSync(p);
    return kind === 'file' ? info.isFile() : info.isDirectory();
  } catch {
    return false;
  }
}

function fieldPath(parts: readonly PropertyKey[]): string {
  return parts.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') || '(top level)';
}
