import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseRunFile } from '../src/run/run-file';
import { selectApps } from '../src/run/selection';
import { freePort } from './support/ports';
import { processRuns, startRunner, type RunnerProcess } from './support/runner-process';
import { newRegistryDir, runSidecarCommand, writeResources } from './support/sidecar-process';
import { startTestApp } from './support/test-app';

const FIXTURES = path.resolve(__dirname, 'fixtures/run');
const APP_DIR = path.join(FIXTURES, 'app');
const CRASH_DIR = path.join(FIXTURES, 'crash');

const STATE_AND_PUBSUB = {
  'statestore.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: statestore}\nspec: {type: state.in-memory, version: v1}\n',
  'pubsub.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: bus}\nspec: {type: pubsub.in-memory, version: v1}\n',
};

function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes a run file into a fresh directory; returns its path. */
function writeRunFile(yaml: string): string {
  const file = path.join(tempDir('run-file-'), 'dapr.yaml');
  writeFileSync(file, yaml);
  return file;
}

function parseError(yaml: string, dir = tempDir('run-file-')): string {
  try {
    parseRunFile(yaml, path.join(dir, 'dapr.yaml'), 'dapr.yaml');
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('the run file was accepted');
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface FixtureApp {
  appId: string;
  appPort: number;
  daprHttpPort: number;
  dir?: string;
  command?: string[];
  env?: Record<string, string>;
}

async function fixtureApp(appId: string, extra: Partial<FixtureApp> = {}): Promise<FixtureApp> {
  return { appId, appPort: await freePort(), daprHttpPort: await freePort(), ...extra };
}

function runFileFor(apps: FixtureApp[], resourcesDir: string): string {
  const lines = ['version: 1', 'common:', `  resourcesPath: ${resourcesDir}`, '  appHealthCheckPath: /healthz', 'apps:'];
  for (const app of apps) {
    lines.push(`  - appID: ${app.appId}`, `    appDirPath: ${app.dir ?? APP_DIR}`, `    appPort: ${app.appPort}`, `    daprHTTPPort: ${app.daprHttpPort}`);
    lines.push(`    command: ${JSON.stringify(app.command ?? ['node', 'server.js'])}`);
    if (app.env) lines.push(`    env: ${JSON.stringify(app.env)}`);
  }
  return writeRunFile(lines.join('\n') + '\n');
}

describe('sidecar run: the run file', () => {
  it('names the missing version field', () => {
    expect(parseError(`apps:\n  - appDirPath: ${APP_DIR}\n`)).toBe('dapr.yaml: version: is required (version: 1)');
  });

  it('names the app and field of a bad port', () => {
    expect(parseError(`version: 1\napps:\n  - appDirPath: ${APP_DIR}\n  - appDirPath: ${CRASH_DIR}\n    appPort: eighty\n`)).toBe(
      'dapr.yaml: apps[1].appPort: must be a port number',
    );
  });

  it('names an unknown field instead of ignoring a typo', () => {
    expect(parseError(`version: 1\napps:\n  - appDirPath: ${APP_DIR}\n    appPorts: 5000\n`)).toMatch(/^dapr\.yaml: apps\[0\]\.appPorts: unknown field/);
  });

  it('accepts the Dapr CLI fields it has no use for, so dapr run -f reads the same file', () => {
    const yaml = `version: 1\ncommon:\n  appLogDestination: console\napps:\n  - appDirPath: ${APP_DIR}\n    daprGRPCPort: 50001\n    metricsPort: 9091\n`;
    expect(parseRunFile(yaml, path.join(tempDir('run-file-'), 'dapr.yaml')).apps).toHaveLength(1);
  });

  it('names an appDirPath that does not exist, resolved against the file', () => {
    const dir = tempDir('run-file-');
    expect(parseError('version: 1\napps:\n  - appID: a\n    appDirPath: ./apps/nowhere\n', dir)).toBe(
      `dapr.yaml: apps[0].appDirPath: ./apps/nowhere is not a directory (resolved to ${path.join(dir, 'apps/nowhere')})`,
    );
  });

  it('refuses two apps with one app id', () => {
    expect(parseError(`version: 1\napps:\n  - {appID: a, appDirPath: ${APP_DIR}}\n  - {appID: a, appDirPath: ${CRASH_DIR}}\n`)).toBe(
      "dapr.yaml: apps[1].appID: 'a' is already the app id of apps[0]",
    );
  });

  it('refuses two apps on one port', () => {
    const yaml = `version: 1\napps:\n  - {appID: a, appDirPath: ${APP_DIR}, appPort: 5001}\n  - {appID: b, appDirPath: ${APP_DIR}, daprHTTPPort: 5001}\n`;
    expect(parseError(yaml)).toBe('dapr.yaml: apps[1].daprHTTPPort: port 5001 is already appPort of apps[0]');
  });

  it('says where YAML syntax breaks', () => {
    expect(parseError('version: 1\napps: [\n')).toMatch(/^dapr\.yaml: not valid YAML \(line \d+, column \d+\)/);
  });

  it('resolves paths as the Dapr CLI does: common against the file, an app’s own against its appDirPath', () => {
    const root = tempDir('run-file-');
    mkdirSync(path.join(root, 'components/local'), { recursive: true });
    mkdirSync(path.join(root, 'apps/b/extra'), { recursive: true });
    mkdirSync(path.join(root, 'apps/a'), { recursive: true });
    const yaml = [
      'version: 1',
      'common: {resourcesPath: ./components/local, env: {SHARED: 1, OVERRIDDEN: common}}',
      'apps:',
      '  - {appDirPath: ./apps/a}',
      '  - {appDirPath: ./apps/b, resourcesPaths: [./extra], env: {OVERRIDDEN: app}}',
    ].join('\n');
    const [a, b] = parseRunFile(yaml, path.join(root, 'dapr.yaml')).apps;
    expect({ id: a!.appId, dir: a!.appDirPath, resources: a!.resourcesPaths, env: a!.env }).toEqual({
      id: 'a',
      dir: path.join(root, 'apps/a'),
      resources: [path.join(root, 'components/local')],
      env: { SHARED: '1', OVERRIDDEN: 'common' },
    });
    expect({ resources: b!.resourcesPaths, env: b!.env }).toEqual({ resources: [path.join(root, 'apps/b/extra')], env: { SHARED: '1', OVERRIDDEN: 'app' } });
  });

  it('switches components/local to components/services with --services, and says when there is nothing to switch', () => {
    const root = tempDir('run-file-');
    for (const d of ['components/local', 'components/services', 'other']) mkdirSync(path.join(root, d), { recursive: true });
    const runFile = parseRunFile(`version: 1\ncommon: {resourcesPath: ./components/local}\napps:\n  - {appID: a, appDirPath: ${APP_DIR}}\n`, path.join(root, 'dapr.yaml'));
    expect(selectApps(runFile, { services: true })[0]!.resourcesPaths).toEqual([path.join(root, 'components/services')]);
    const elsewhere = { ...runFile, apps: runFile.apps.map((a) => ({ ...a, resourcesPaths: [path.join(root, 'other')] })) };
    expect(() => selectApps(elsewhere, { services: true })).toThrow('--services: no app\'s resources path ends in components/local');
  });

  it('exits 1 naming the field when `sidecar run` gets a bad file', async () => {
    const file = writeRunFile(`version: 1\napps:\n  - appDirPath: ${APP_DIR}\n    command: node server.js\n`);
    const { code, stderr } = await runSidecarCommand(['run', '-f', file, '--no-build']);
    expect(code).toBe(1);
    expect(stderr).toContain('apps[0].command: must be a list, e.g. ["node", "dist/main.js"]');
  });

  it('prints its usage with `sidecar run --help`, and `sidecar --help` mentions it', async () => {
    const run = await runSidecarCommand(['run', '--help']);
    const top = await runSidecarCommand(['--help']);
    expect(run.stdout).toContain('--exit-on-failure');
    expect(top.stdout).toContain('sidecar run -f dapr.yaml');
  });

  it('names an unknown app id given to --only', async () => {
    const file = runFileFor([await fixtureApp('a')], writeResources(STATE_AND_PUBSUB));
    const { code, stderr } = await runSidecarCommand(['run', '-f', file, '--no-build', '--only', 'a,zed']);
    expect(code).toBe(1);
    expect(stderr).toContain("--only: no app 'zed'");
  });
});

describe('sidecar run: apps with their sidecars', () => {
  let runner: RunnerProcess;
  let a: FixtureApp;
  let b: FixtureApp;

  beforeAll(async () => {
    a = await fixtureApp('a', { env: { GREETING: 'from the run file' } });
    b = await fixtureApp('b', { env: { SUBSCRIBE: 'bus/orders' } });
    const file = runFileFor([a, b], writeResources(STATE_AND_PUBSUB));
    runner = startRunner(['-f', file, '--no-build'], { SIDECAR_REGISTRY_DIR: newRegistryDir() });
    await runner.waitFor(/Ctrl-C stops everything/);
  });

  afterAll(async () => {
    await runner?.stop('SIGINT');
  });

  it('reports every app ready and prints URLs that answer', async () => {
    expect(runner.output()).toMatch(/all 2 apps ready in \d+\.\d+s/);
    const urls = [...runner.output().matchAll(/^run +\| +(\w+) +(http:\/\/\S+) +sidecar (http:\/\/\S+)$/gm)];
    expect(urls.map((m) => m[1]).sort()).toEqual(['a', 'b']);
    for (const [, id, appUrl, sidecarUrl] of urls) {
      expect(await (await fetch(appUrl!)).text()).toBe(`${id} ok`);
      expect((await fetch(`${sidecarUrl}/v1.0/healthz`)).status).toBe(204);
    }
  });

  it('gives each app its ports, app id and the run file env, in its appDirPath', async () => {
    const env = await (await fetch(`http://127.0.0.1:${a.appPort}/env`)).json();
    expect(env).toEqual({
      APP_ID: 'a',
      APP_PORT: String(a.appPort),
      PORT: String(a.appPort),
      DAPR_HTTP_PORT: String(a.daprHttpPort),
      APP_PROTOCOL: 'http',
      GREETING: 'from the run file',
      cwd: APP_DIR,
    });
  });

  it('prefixes every app line with its app id', () => {
    expect(runner.output()).toMatch(new RegExp(`^a +\\| a listening on ${a.appPort}$`, 'm'));
    expect(runner.output()).toMatch(new RegExp(`^b +\\| b listening on ${b.appPort}$`, 'm'));
  });

  it('invokes one app from another through the sidecars in the runner', async () => {
    const res = await fetch(`http://127.0.0.1:${a.appPort}/call/b/hello`);
    expect({ status: res.status, body: await res.text() }).toEqual({ status: 200, body: 'hello from b' });
  });

  it('delivers what one app publishes on pubsub.in-memory to another app', async () => {
    const published = await fetch(`http://127.0.0.1:${a.appPort}/publish/bus/orders`, { method: 'POST', body: JSON.stringify({ id: '0001', name: 'sample' }) });
    expect(published.status).toBe(204);
    const received = await eventually(
      async () => (await (await fetch(`http://127.0.0.1:${b.appPort}/received`)).json()) as { data: unknown; source: string }[],
      (events) => events.length > 0,
    );
    expect(received.map((e) => ({ data: e.data, source: e.source }))).toEqual([{ data: { id: '0001', name: 'sample' }, source: 'a' }]);
  });
});

describe('sidecar run: building first', () => {
  /** A small Nx workspace of its own (sharing this repository's node_modules) with one app whose build makes dist/main.js. */
  function workspace(buildCommand: string): string {
    const root = tempDir('run-workspace-');
    symlinkSync(path.resolve(__dirname, '../../../node_modules'), path.join(root, 'node_modules'), 'dir');
    writeFileSync(path.join(root, 'package.json'), '{"name": "ws", "private": true}');
    writeFileSync(path.join(root, 'nx.json'), '{"neverConnectToCloud": true}');
    mkdirSync(path.join(root, 'apps/x'), { recursive: true });
    writeFileSync(path.join(root, 'apps/x/source.js'), readFileSync(path.join(APP_DIR, 'server.js')));
    const target = { executor: 'nx:run-commands', outputs: ['{projectRoot}/dist'], options: { command: buildCommand } };
    writeFileSync(path.join(root, 'apps/x/project.json'), JSON.stringify({ name: 'x', targets: { build: target } }));
    return root;
  }

  async function runFileIn(root: string): Promise<string> {
    const yaml = `version: 1\napps:\n  - {appID: x, appDirPath: ./apps/x, appPort: ${await freePort()}, command: [node, dist/main.js], resourcesPath: ${writeResources(STATE_AND_PUBSUB)}}\n`;
    writeFileSync(path.join(root, 'dapr.yaml'), yaml);
    return path.join(root, 'dapr.yaml');
  }

  it('builds the apps with Nx before it starts them', async () => {
    const root = workspace('mkdir -p apps/x/dist && cp apps/x/source.js apps/x/dist/main.js');
    const runner = startRunner(['-f', await runFileIn(root), '--exit-on-failure'], { SIDECAR_REGISTRY_DIR: newRegistryDir() }, root);
    try {
      await runner.waitFor(/the app is ready/);
      expect(runner.output()).toMatch(/^run \| built in \d+\.\d+s$/m);
    } finally {
      expect(await runner.stop('SIGINT')).toBe(0);
    }
  });

  it('starts no app when the build fails, and shows the build output', async () => {
    const root = workspace('node -e "console.error(\'compile error in main.ts\'); process.exit(2)"');
    const runner = startRunner(['-f', await runFileIn(root)], { SIDECAR_REGISTRY_DIR: newRegistryDir() }, root);
    expect(await runner.exited()).toBe(1);
    expect(runner.output()).toContain('compile error in main.ts');
    expect(runner.output()).toContain('the build failed (exit code 1); no app was started');
    expect(runner.output()).not.toContain('x starting');
  });
});

describe('sidecar run: a failing app', () => {
  it('reports the app as failed with its last lines and keeps the others running', async () => {
    const good = await fixtureApp('good');
    const crash = await fixtureApp('crash', { dir: CRASH_DIR, command: ['node', 'crash.js'] });
    const runner = startRunner(['-f', runFileFor([good, crash], writeResources(STATE_AND_PUBSUB)), '--no-build'], { SIDECAR_REGISTRY_DIR: newRegistryDir() });
    try {
      await runner.waitFor(/1 of 2 apps ready/);
      const output = runner.output();
      expect(output).toMatch(/^run +\| crash failed: exited with code 3$/m);
      expect(output).toMatch(/^crash +\| fatal: DATABASE_URL is not set$/m);
      expect(output).toContain('the other apps keep running (1 of 2)');
      expect(await (await fetch(`http://127.0.0.1:${good.appPort}/`)).text()).toBe('good ok');
    } finally {
      expect(await runner.stop('SIGINT')).toBe(0);
    }
  });

  it('stops everything and exits 1 on a failure with --exit-on-failure', async () => {
    const good = await fixtureApp('good', { env: { SPAWN_GRANDCHILD: '1' } });
    const crash = await fixtureApp('crash', { dir: CRASH_DIR, command: ['node', 'crash.js'] });
    const runner = startRunner(['-f', runFileFor([good, crash], writeResources(STATE_AND_PUBSUB)), '--no-build', '--exit-on-failure'], {
      SIDECAR_REGISTRY_DIR: newRegistryDir(),
    });
    expect(await runner.exited()).toBe(1);
    expect(runner.output()).toContain('an app failed and --exit-on-failure is set');
  });

  it('reports an app whose health path never answers 2xx, with what it answered', async () => {
    const sick = await fixtureApp('sick', { env: { HEALTHZ_STATUS: '503' } });
    const runner = startRunner(['-f', runFileFor([sick], writeResources(STATE_AND_PUBSUB)), '--no-build', '--ready-timeout', '1'], { SIDECAR_REGISTRY_DIR: newRegistryDir() });
    expect(await runner.exited()).toBe(1);
    expect(runner.output()).toContain('sick failed: not ready after 1s: GET /healthz answered 503');
  });

  it('reports an app port that another process already holds, instead of taking that process for the app', async () => {
    const squatter = await startTestApp();
    try {
      const app = await fixtureApp('late', { appPort: squatter.port });
      const runner = startRunner(['-f', runFileFor([app], writeResources(STATE_AND_PUBSUB)), '--no-build'], { SIDECAR_REGISTRY_DIR: newRegistryDir() });
      expect(await runner.exited()).toBe(1);
      expect(runner.output()).toContain(`late failed: app port ${squatter.port} is already in use by another process`);
      expect(squatter.requests).toEqual([]);
    } finally {
      await squatter.close();
    }
  });

  it('reports a command that does not exist', async () => {
    const missing = await fixtureApp('missing', { command: ['no-such-command-here'] });
    const runner = startRunner(['-f', runFileFor([missing], writeResources(STATE_AND_PUBSUB)), '--no-build'], { SIDECAR_REGISTRY_DIR: newRegistryDir() });
    expect(await runner.exited()).toBe(1);
    expect(runner.output()).toContain('missing failed: command not found: no-such-command-here');
  });
});

describe('sidecar run: Ctrl-C', () => {
  it('stops every app, what the apps started, and every sidecar, leaving no process behind', async () => {
    const polite = await fixtureApp('polite', { env: { SPAWN_GRANDCHILD: '1' } });
    // Ignores SIGTERM, and so does its child: only the SIGKILL to the whole process group ends them.
    const stubborn = await fixtureApp('stubborn', { env: { SPAWN_GRANDCHILD: '1', IGNORE_SIGTERM: '1' } });
    const runner = startRunner(['-f', runFileFor([polite, stubborn], writeResources(STATE_AND_PUBSUB)), '--no-build'], {
      SIDECAR_REGISTRY_DIR: newRegistryDir(),
    });
    await runner.waitFor(/Ctrl-C stops everything/);
    const pids: number[] = [];
    for (const app of [polite, stubborn]) {
      const { pid, grandchild } = (await (await fetch(`http://127.0.0.1:${app.appPort}/pids`)).json()) as { pid: number; grandchild: number };
      pids.push(pid, grandchild);
    }
    expect(pids.filter(processRuns)).toHaveLength(4);

    expect(await runner.stop('SIGINT')).toBe(0);
    expect(pids.filter(processRuns)).toEqual([]);
    expect(runner.output()).toMatch(/stopped in \d+\.\d+s/);
    for (const port of [polite.daprHttpPort, stubborn.daprHttpPort, polite.appPort, stubborn.appPort]) {
      await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    }
  });
});
