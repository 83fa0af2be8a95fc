import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSidecar } from './support/sidecar-process';

/**
 * A run loads the SDK of a component type only when it configures that type: a sidecar on in-memory components
 * never pays for ioredis, nats or the AWS SDK at start-up (or in memory). Seen from inside the real process: a
 * preloaded hook writes `require.cache` when it exits.
 */

const PRELOAD = path.resolve(__dirname, 'fixtures/loaded-modules.cjs');

function component(name: string, type: string, metadata: Record<string, string> = {}): string {
  const items = Object.entries(metadata).map(([k, v]) => `\n      - name: ${k}\n        value: "${v}"`);
  return `apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: ${type}\n  version: v1\n  metadata: ${items.length > 0 ? items.join('') : '[]'}\n`;
}

/** Starts a sidecar on these components, stops it, and returns the module files it had loaded. */
async function modulesLoadedBy(components: string[]): Promise<string[]> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'loaded-modules-')), 'modules.txt');
  const sidecar = await startSidecar({
    appId: 'lazy',
    resources: { 'components.yaml': components.join('---\n') },
    env: { NODE_OPTIONS: `--require ${PRELOAD}`, LOADED_MODULES_FILE: file },
  });
  await sidecar.stop();
  return readFileSync(file, 'utf8').split('\n');
}

async function packagesLoadedBy(components: string[]): Promise<Set<string>> {
  const packages = (await modulesLoadedBy(components)).map((f) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1]);
  return new Set(packages.filter((p): p is string => p !== undefined));
}

const SDKS = ['ioredis', 'nats', '@aws-sdk/client-sns', '@aws-sdk/client-sqs', 'better-sqlite3'];

it('loads no broker or database SDK when only in-memory components are configured', async () => {
  const loaded = await packagesLoadedBy([component('statestore', 'state.in-memory'), component('pubsub', 'pubsub.in-memory')]);
  expect(SDKS.filter((sdk) => loaded.has(sdk))).toEqual([]);
});

it('loads the SDK of a configured component and no other', async () => {
  const loaded = await packagesLoadedBy([component('statestore', 'state.redis', { redisHost: '127.0.0.1:6379' })]);
  expect(SDKS.filter((sdk) => loaded.has(sdk))).toEqual(['ioredis']);
});

it("loads undici's Pool alone, not all of undici (fetch, WebSocket, caches and mocks weigh on every start)", async () => {
  const modules = await modulesLoadedBy([component('statestore', 'state.in-memory')]);
  expect(modules.filter((m) => m.includes('/node_modules/undici/')).map((m) => m.slice(m.indexOf('/undici/') + 1))).not.toContain('undici/index.js');
});
