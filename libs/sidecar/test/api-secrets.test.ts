import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { apiOf } from './support/api-call';
import { startSidecar, writeResources, type SidecarProcess } from './support/sidecar-process';

/** The secrets API (daprd's `/v1.0/secrets`) with local.file and local.env stores, scopes and secret references. */

const dir = mkdtempSync(path.join(os.tmpdir(), 'sidecar-secrets-'));
const secretsFile = path.join(dir, 'secrets.json');
const sqliteFromSecret = path.join(dir, 'from-secret', 'state.db');
writeFileSync(
  secretsFile,
  JSON.stringify({
    db: { password: 'p4ss', user: 'admin', replica: { host: 'r1' } },
    flat: 'plain',
    list: ['x', 'y'],
    prefix: 'APPSECRET_',
    sqlitePath: sqliteFromSecret,
  }),
);

const store = (name: string, type: string, metadata: string[], extra = '') => `apiVersion: dapr.io/v1alpha1
kind: Component
metadata: {name: ${name}}
spec:
  type: ${type}
  version: v1
  metadata:
${metadata.map((m) => `  - ${m}`).join('\n')}
${extra}`;

const RESOURCES = {
  // A state store declared before the secret store it reads from: secret stores load first.
  '0-state.yaml': store('fromsecret', 'state.sqlite', ['{name: connectionString, secretKeyRef: {name: sqlitePath}}'], 'auth: {secretStore: file}\n'),
  '1-file.yaml': store('file', 'secretstores.local.file', [`{name: secretsFile, value: "${secretsFile}"}`]),
  '2-dotted.yaml': store('dotted', 'secretstores.local.file', [`{name: secretsFile, value: "${secretsFile}"}`, '{name: nestedSeparator, value: "."}']),
  '3-multi.yaml': store('multi', 'secretstores.local.file', [`{name: secretsFile, value: "${secretsFile}"}`, '{name: multiValued, value: "true"}']),
  '4-env.yaml': store('env', 'secretstores.local.env', ['{name: prefix, value: APPSECRET_}']),
  '5-env-all.yaml': store('envall', 'secretstores.local.env', []),
  '6-env-ref.yaml': store('envref', 'secretstores.local.env', ['{name: prefix, envRef: SECRET_PREFIX_FROM_ENV}']),
  '7-env-secret.yaml': store('envsecret', 'secretstores.local.env', ['{name: prefix, secretKeyRef: {name: prefix, key: prefix}}'], 'auth: {secretStore: file}\n'),
};

const CONFIG = `apiVersion: dapr.io/v1alpha1
kind: Configuration
metadata: {name: scoped}
spec:
  secrets:
    scopes:
    - {storeName: multi, defaultAccess: allow, deniedSecrets: [db]}
    - {storeName: dotted, defaultAccess: Deny, allowedSecrets: [flat, db.user], deniedSecrets: [flat]}
`;

let sidecar: SidecarProcess;
let api: ReturnType<typeof apiOf>;

beforeAll(async () => {
  const configDir = writeResources({ 'config.yaml': CONFIG });
  sidecar = await startSidecar({
    appId: 'secrets-app',
    resources: RESOURCES,
    args: ['--config', path.join(configDir, 'config.yaml')],
    env: { APPSECRET_TOKEN: 'tok-123', APPSECRET_OTHER: 'o', DAPR_HIDDEN_SECRET: 'never', SECRET_PREFIX_FROM_ENV: 'APPSECRET_' },
  });
  api = apiOf(sidecar.url);
});

afterAll(async () => {
  await sidecar?.stop();
});

describe('secretstores.local.file', () => {
  it('flattens nested JSON with the default ":" separator, arrays by index', async () => {
    expect((await api('GET', '/v1.0/secrets/file/db:password')).json()).toEqual({ 'db:password': 'p4ss' });
    expect((await api('GET', '/v1.0/secrets/file/db:replica:host')).json()).toEqual({ 'db:replica:host': 'r1' });
    expect((await api('GET', '/v1.0/secrets/file/list:1')).json()).toEqual({ 'list:1': 'y' });
    expect((await api('GET', '/v1.0/secrets/file/flat')).json()).toEqual({ flat: 'plain' });
  });

  it('uses nestedSeparator when set', async () => {
    expect((await api('GET', '/v1.0/secrets/dotted/db.user')).json()).toEqual({ 'db.user': 'admin' });
  });

  it('returns every key of a secret with multiValued', async () => {
    const res = await api('GET', '/v1.0/secrets/multi/list');
    expect(res.json()).toEqual({ '0': 'x', '1': 'y' });
    expect((await api('GET', '/v1.0/secrets/multi/flat')).json()).toEqual({ flat: 'plain' });
  });

  it('answers 500 ERR_SECRET_GET for a secret the file does not have', async () => {
    const res = await api('GET', '/v1.0/secrets/file/nope');
    expect(res.status).toBe(500);
    expect(res.json()).toMatchObject({ errorCode: 'ERR_SECRET_GET' });
    expect(res.json<{ message: string }>().message).toContain('secret nope not found');
  });

  it('returns all secrets in bulk as name → {key: value}', async () => {
    const res = await api('GET', '/v1.0/secrets/file/bulk');
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ flat: { flat: 'plain' }, 'db:password': { 'db:password': 'p4ss' }, 'list:0': { 'list:0': 'x' } });
  });
});

describe('secretstores.local.env', () => {
  it('reads a variable through the prefix, named without it', async () => {
    expect((await api('GET', '/v1.0/secrets/env/TOKEN')).json()).toEqual({ TOKEN: 'tok-123' });
  });

  it('answers {"name": ""} for a missing variable, not an error', async () => {
    const res = await api('GET', '/v1.0/secrets/env/MISSING');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ MISSING: '' });
  });

  it('never hands out DAPR_* variables, by name or in bulk', async () => {
    expect((await api('GET', '/v1.0/secrets/envall/DAPR_HIDDEN_SECRET')).json()).toEqual({ DAPR_HIDDEN_SECRET: '' });
    const bulk = (await api('GET', '/v1.0/secrets/envall/bulk')).json<Record<string, unknown>>();
    expect(bulk['APPSECRET_TOKEN']).toEqual({ APPSECRET_TOKEN: 'tok-123' });
    expect(Object.keys(bulk).filter((k) => k.startsWith('DAPR_'))).toEqual([]);
  });

  it('lists only prefixed variables in bulk, without the prefix', async () => {
    expect((await api('GET', '/v1.0/secrets/env/bulk')).json()).toEqual({ TOKEN: { TOKEN: 'tok-123' }, OTHER: { OTHER: 'o' } });
  });
});

describe('secret store lookup and scopes', () => {
  it('answers 401 ERR_SECRET_STORE_NOT_FOUND for an unknown store', async () => {
    for (const res of [await api('GET', '/v1.0/secrets/nope/x'), await api('GET', '/v1.0/secrets/nope/bulk')]) {
      expect(res.status).toBe(401);
      expect(res.json()).toMatchObject({ errorCode: 'ERR_SECRET_STORE_NOT_FOUND', message: 'failed finding secret store with key nope' });
    }
  });

  it('answers 403 ERR_PERMISSION_DENIED for a denied secret and leaves it out of bulk', async () => {
    const denied = await api('GET', '/v1.0/secrets/multi/db');
    expect(denied.status).toBe(403);
    expect(denied.json()).toMatchObject({ errorCode: 'ERR_PERMISSION_DENIED' });
    const bulk = (await api('GET', '/v1.0/secrets/multi/bulk')).json<Record<string, unknown>>();
    expect(bulk).not.toHaveProperty('db');
    expect(bulk).toHaveProperty('flat');
  });

  it('lets a non-empty allowedSecrets list decide alone, over deniedSecrets and defaultAccess', async () => {
    expect((await api('GET', '/v1.0/secrets/dotted/flat')).status).toBe(200);
    expect((await api('GET', '/v1.0/secrets/dotted/db.user')).status).toBe(200);
    expect((await api('GET', '/v1.0/secrets/dotted/db.password')).status).toBe(403);
    expect(Object.keys((await api('GET', '/v1.0/secrets/dotted/bulk')).json<object>()).sort()).toEqual(['db.user', 'flat']);
  });

  it('answers 500 ERR_SECRET_STORES_NOT_CONFIGURED when no secret store is loaded', async () => {
    const bare = await startSidecar({ appId: 'no-secrets', resources: {} });
    try {
      const res = await apiOf(bare.url)('GET', '/v1.0/secrets/any/x');
      expect(res.status).toBe(500);
      expect(res.json()).toMatchObject({ errorCode: 'ERR_SECRET_STORES_NOT_CONFIGURED' });
    } finally {
      await bare.stop();
    }
  });
});

describe('component metadata from secrets and the environment', () => {
  it('resolves envRef from the sidecar environment', async () => {
    expect((await api('GET', '/v1.0/secrets/envref/TOKEN')).json()).toEqual({ TOKEN: 'tok-123' });
  });

  it('resolves secretKeyRef through auth.secretStore', async () => {
    expect((await api('GET', '/v1.0/secrets/envsecret/TOKEN')).json()).toEqual({ TOKEN: 'tok-123' });
  });

  it('resolves a secretKeyRef of a state store declared before its secret store', async () => {
    expect((await api('POST', '/v1.0/state/fromsecret', [{ key: 'k', value: 1 }])).status).toBe(204);
    expect(existsSync(sqliteFromSecret)).toBe(true);
  });
});
