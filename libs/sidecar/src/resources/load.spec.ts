import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ResourceError } from '../errors';
import { loadResources, type LoadOptions } from './load';

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'load-spec-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const component = (name: string, extra = '', spec = 'spec: {type: state.in-memory, version: v1}') =>
  `apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: ${name}${extra}}\n${spec}\n`;

async function load(files: Record<string, string>, opts: Partial<LoadOptions> = {}) {
  const dir = dirWith(files);
  const skipped: string[] = [];
  const resources = await loadResources({ resourcesPaths: [dir], appId: 'orders', onSkip: (origin, reason) => skipped.push(`${path.basename(origin.file)}#${origin.document}: ${reason}`), ...opts });
  return { dir, resources, skipped };
}

async function loadError(files: Record<string, string>, opts: Partial<LoadOptions> = {}): Promise<ResourceError> {
  try {
    await load(files, opts);
  } catch (err) {
    if (err instanceof ResourceError) return err;
    throw err;
  }
  throw new Error('expected a ResourceError');
}

describe('loadResources: invalid resources name the file, the document and the field', () => {
  it('reports a missing required field', async () => {
    const err = await loadError({ 'c.yaml': `${component('ok')}---\n${component('bad', '', 'spec: {type: state.in-memory}')}` });
    expect(err).toMatchObject({ document: 2, field: 'spec.version' });
    expect(err.file).toMatch(/c\.yaml$/);
    expect(err.message).toMatch(/c\.yaml \(document 2\), field spec\.version: /);
  });

  it('reports a value of the wrong shape', async () => {
    expect(await loadError({ 'c.yaml': component('c', '', 'spec: {type: state.in-memory, version: v1, initTimeout: soon}') })).toMatchObject({ field: 'spec.initTimeout' });
    expect(await loadError({ 'c.yaml': component('c', '', 'spec: {type: nodots, version: v1}') })).toMatchObject({ field: 'spec.type' });
    expect(await loadError({ 'c.yaml': component('c', '', 'spec: {type: state.in-memory, version: v1, metadata: [{value: x}]}') })).toMatchObject({ field: 'spec.metadata[0].name' });
  });

  it('refuses an envRef to DAPR_* or APP_API_TOKEN', async () => {
    const err = await loadError({ 'c.yaml': component('c', '', 'spec:\n  type: state.in-memory\n  version: v1\n  metadata:\n  - {name: x, envRef: DAPR_API_TOKEN}') });
    expect(err).toMatchObject({ field: 'spec.metadata[0].envRef' });
  });

  it('reports invalid YAML and a document that is not a mapping', async () => {
    expect(await loadError({ 'y.yaml': 'kind: [unclosed' })).toMatchObject({ document: 1 });
    expect((await loadError({ 'l.yaml': `${component('a')}---\n- just\n- a list\n` })).message).toContain('(document 2)');
  });

  it('refuses two components with one name, pointing at both files', async () => {
    const err = await loadError({ 'a.yaml': component('dup'), 'b.yaml': component('dup') });
    expect(err).toMatchObject({ field: 'metadata.name' });
    expect(err.file).toMatch(/b\.yaml$/);
    expect(err.message).toMatch(/already defined in .*a\.yaml/);
  });

  it('refuses a Subscription with neither rules nor a default route', async () => {
    const sub = 'apiVersion: dapr.io/v2alpha1\nkind: Subscription\nmetadata: {name: s}\nspec: {pubsubname: p, topic: t, routes: {}}\n';
    expect(await loadError({ 's.yaml': sub })).toMatchObject({ field: 'spec.routes' });
  });

  it('refuses a resources path that does not exist', async () => {
    await expect(loadResources({ resourcesPaths: ['/no/such/dir'], appId: 'a' })).rejects.toThrow('resources path does not exist');
  });
});

describe('loadResources: what is loaded', () => {
  it('reads several kinds from multi-document files and skips other kinds', async () => {
    const { resources, skipped } = await load({
      'all.yaml': [
        component('store', '', 'spec:\n  type: state.in-memory\n  version: v1\n  metadata:\n  - {name: keyPrefix, value: name}\n  - {name: port, value: 6379}\n  - {name: pw, secretKeyRef: {name: redis}}'),
        'apiVersion: dapr.io/v2alpha1\nkind: Subscription\nmetadata: {name: s}\nspec:\n  pubsubname: p\n  topic: t\n  routes: {rules: [{match: \'event.type == "x"\', path: x}], default: /d}\n',
        'apiVersion: dapr.io/v1alpha1\nkind: Subscription\nmetadata: {name: s1}\nspec: {pubsubname: p, topic: t1, route: old}\n',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n',
      ].join('---\n'),
      'readme.txt': 'not yaml at all: [',
    });
    expect(resources.components).toHaveLength(1);
    expect(resources.components[0]!.metadata).toEqual([
      { name: 'keyPrefix', value: 'name', secretKeyRef: undefined, envRef: undefined },
      { name: 'port', value: '6379', secretKeyRef: undefined, envRef: undefined },
      // The key of a secretKeyRef defaults to its name.
      { name: 'pw', value: undefined, secretKeyRef: { name: 'redis', key: 'redis' }, envRef: undefined },
    ]);
    expect(resources.subscriptions.map((s) => [s.name, s.rules])).toEqual([
      ['s', [{ match: 'event.type == "x"', path: '/x' }, { match: undefined, path: '/d' }]],
      ['s1', [{ path: '/old' }]],
    ]);
    expect(skipped).toEqual(['all.yaml#4: not a Dapr resource kind this sidecar loads']);
  });

  it('loads only resources scoped to this app id', async () => {
    const { resources, skipped } = await load({
      'a.yaml': `${component('mine', '')}scopes: [orders, stock]\n`,
      'b.yaml': `${component('theirs', '')}scopes: [payment]\n`,
      'c.yaml': component('everyone'),
    });
    expect(resources.components.map((c) => c.name)).toEqual(['mine', 'everyone']);
    expect(skipped).toEqual(['b.yaml#1: scoped to payment']);
  });

  it('loads only resources of this namespace, or of none', async () => {
    const files = { 'a.yaml': component('prod-only', ', namespace: prod'), 'b.yaml': component('dev-only', ', namespace: dev'), 'c.yaml': component('any') };
    const inProd = await load(files, { namespace: 'prod' });
    expect(inProd.resources.components.map((c) => c.name)).toEqual(['prod-only', 'any']);
    expect(inProd.skipped).toEqual(['b.yaml#1: namespace dev is not prod']);
    const noNamespace = await load(files);
    expect(noNamespace.resources.components).toHaveLength(3);
  });

  it('takes the Configuration from --config only', async () => {
    const config = 'apiVersion: dapr.io/v1alpha1\nkind: Configuration\nmetadata: {name: cfg}\nspec:\n  features: [{name: F, enabled: true}]\n  secrets:\n    scopes: [{storeName: s, defaultAccess: DENY, allowedSecrets: [a]}]\n';
    const configDir = dirWith({ 'config.yaml': config });
    const { resources } = await load({ 'in-resources.yaml': config }, { configPath: path.join(configDir, 'config.yaml') });
    expect(resources.configuration).toMatchObject({ name: 'cfg', features: [{ name: 'F', enabled: true }] });
    expect(resources.configuration!.secretScopes).toEqual([{ storeName: 's', defaultAccess: 'deny', allowedSecrets: ['a'], deniedSecrets: [] }]);
    const withoutConfig = await load({ 'in-resources.yaml': config });
    expect(withoutConfig.resources.configuration).toBeUndefined();
  });

  it('refuses a --config file without a Configuration, and a store named twice in secret scopes', async () => {
    const notConfig = dirWith({ 'c.yaml': component('c') });
    await expect(loadResources({ resourcesPaths: [], configPath: path.join(notConfig, 'c.yaml'), appId: 'a' })).rejects.toThrow('no document of kind Configuration');
    const twice = dirWith({ 'c.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: Configuration\nmetadata: {name: c}\nspec:\n  secrets:\n    scopes: [{storeName: s}, {storeName: s}]\n' });
    await expect(loadResources({ resourcesPaths: [], configPath: path.join(twice, 'c.yaml'), appId: 'a' })).rejects.toMatchObject({ field: 'spec.secrets.scopes[1].storeName' });
  });
});

describe('loadResources: Resiliency', () => {
  const resiliency = (targets: string) =>
    `apiVersion: dapr.io/v1alpha1\nkind: Resiliency\nmetadata: {name: r}\nspec:\n  policies:\n    timeouts: {general: 5s}\n    retries:\n      important: {policy: exponential, maxInterval: 15s, maxRetries: 10, matching: {httpStatusCodes: "429,500-599"}}\n      plain: {}\n    circuitBreakers:\n      cb: {maxRequests: 1, timeout: 45s, trip: consecutiveFailures > 8}\n  targets:\n${targets}`;

  it('reads policies with daprd defaults', async () => {
    const { resources } = await load({ 'r.yaml': resiliency('    apps: {b: {timeout: general, retry: important, circuitBreaker: cb}}\n    components: {statestore: {outbound: {retry: plain}}}\n') });
    const r = resources.resiliencies[0]!;
    expect(r.timeoutsMs).toEqual({ general: 5000 });
    expect(r.retries['important']).toEqual({ policy: 'exponential', durationMs: 5000, maxIntervalMs: 15_000, maxRetries: 10, httpStatusCodes: '429,500-599' });
    expect(r.retries['plain']).toEqual({ policy: 'constant', durationMs: 5000, maxIntervalMs: 60_000, maxRetries: -1, httpStatusCodes: undefined });
    expect(r.circuitBreakers['cb']).toEqual({ maxRequests: 1, intervalMs: 0, timeoutMs: 45_000, trip: 'consecutiveFailures > 8' });
    expect(r.apps['b']).toEqual({ timeout: 'general', retry: 'important', circuitBreaker: 'cb' });
  });

  it.each([
    ['    apps: {b: {retry: missing}}\n', 'spec.targets.apps.b.retry'],
    ['    apps: {b: {timeout: missing}}\n', 'spec.targets.apps.b.timeout'],
    ['    actors: {cart: {circuitBreaker: missing}}\n', 'spec.targets.actors.cart.circuitBreaker'],
    ['    components: {pubsub: {inbound: {retry: missing}}}\n', 'spec.targets.components.pubsub.inbound.retry'],
  ])('refuses a target that names a policy that does not exist (%#)', async (targets, field) => {
    const err = await loadError({ 'r.yaml': resiliency(targets) });
    expect(err).toMatchObject({ field });
    expect(err.message).toContain("named 'missing'");
  });
});

describe('loadResources: a mounted ConfigMap', () => {
  it('reads the files kubelet links in (`cart.yaml -> ..data/cart.yaml`), and only those', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'load-spec-configmap-'));
    mkdirSync(path.join(dir, '..2026_01_01'));
    writeFileSync(path.join(dir, '..2026_01_01', 'cart.yaml'), component('cart'));
    symlinkSync('..2026_01_01', path.join(dir, '..data'));
    symlinkSync(path.join('..data', 'cart.yaml'), path.join(dir, 'cart.yaml'));
    symlinkSync('..data', path.join(dir, 'linked-dir.yaml'));
    const resources = await loadResources({ resourcesPaths: [dir], appId: 'orders' });
    expect(resources.components.map((c) => c.name)).toEqual(['cart']);
  });
});
