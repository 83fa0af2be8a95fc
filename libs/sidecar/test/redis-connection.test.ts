import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { apiOf } from './support/api-call';
import { waitFor } from './support/poll';
import { startRedisServer, type OwnRedisServer } from './support/redis-server';
import { runSidecarCommand, startSidecar, writeResources, type SidecarProcess } from './support/sidecar-process';

/**
 * How `state.redis` connects: password from a secret, `redisDB`, TLS, a failed connection at init, and
 * reconnecting after Redis restarts. Each test runs a `redis-server` of its own, which it may stop.
 */

const dir = mkdtempSync(path.join(os.tmpdir(), 'redis-connection-'));
const PASSWORD = 's3cret-pw';

const redisComponent = (host: string, extra: string[] = []) =>
  [
    'apiVersion: dapr.io/v1alpha1',
    'kind: Component',
    'metadata: {name: store}',
    'spec:',
    '  type: state.redis',
    '  version: v1',
    '  metadata:',
    `  - {name: redisHost, value: "${host}"}`,
    ...extra,
    '',
  ].join('\n');

const secretStore = (file: string) =>
  ['apiVersion: dapr.io/v1alpha1', 'kind: Component', 'metadata: {name: secrets}', 'spec:', '  type: secretstores.local.file', '  version: v1', '  metadata:', `  - {name: secretsFile, value: "${file}"}`, ''].join('\n');

describe('state.redis connection', () => {
  const servers: OwnRedisServer[] = [];
  const sidecars: SidecarProcess[] = [];

  afterAll(async () => {
    await Promise.all(sidecars.map((s) => s.stop()));
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('reconnects after Redis restarts: requests during the outage fail with 500 and saves succeed again afterwards', async () => {
    const server = await startRedisServer(['--requirepass', PASSWORD]);
    servers.push(server);
    const secretsFile = path.join(dir, 'secrets.json');
    writeFileSync(secretsFile, JSON.stringify({ 'redis-password': PASSWORD }));
    const sidecar = await startSidecar({
      appId: 'redis-restart',
      resources: {
        'secrets.yaml': secretStore(secretsFile),
        'store.yaml': [
          redisComponent(`127.0.0.1:${server.port}`, ['  - name: redisPassword', '    secretKeyRef: {name: redis-password, key: redis-password}', '  - {name: redisDB, value: "3"}']).trimEnd(),
          'auth: {secretStore: secrets}',
          '',
        ].join('\n'),
      },
    });
    sidecars.push(sidecar);
    const api = apiOf(sidecar.url);

    expect((await api('POST', '/v1.0/state/store', [{ key: 'before', value: 1 }])).status).toBe(204);
    const check = server.client({ password: PASSWORD, db: 3 });
    expect(await check.hgetall('redis-restart||before')).toEqual({ data: '1', version: '1' });
    check.disconnect();

    await server.stop();
    const saveDuringOutage = await api('POST', '/v1.0/state/store', [{ key: 'during', value: 2 }]);
    expect(saveDuringOutage.status).toBe(500);
    expect(saveDuringOutage.json()).toMatchObject({ errorCode: 'ERR_STATE_SAVE' });
    const getDuringOutage = await api('GET', '/v1.0/state/store/before');
    expect(getDuringOutage.status).toBe(500);
    expect(getDuringOutage.json()).toMatchObject({ errorCode: 'ERR_STATE_GET' });

    await server.start();
    await waitFor('a save to succeed after the restart', async () => (await api('POST', '/v1.0/state/store', [{ key: 'after', value: 3 }])).status === 204);
    const after = await api('GET', '/v1.0/state/store/after');
    expect(after.status).toBe(200);
    expect(after.json()).toBe(3);
  });

  it('connects over TLS with enableTLS, verifying the server certificate', async () => {
    const cert = path.join(dir, 'redis.crt');
    const key = path.join(dir, 'redis.key');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], {
      stdio: 'ignore',
    });
    const server = await startRedisServer(['--tls-cert-file', cert, '--tls-key-file', key, '--tls-ca-cert-file', cert, '--tls-auth-clients', 'no'], { plainPort: false });
    servers.push(server);
    // The test's CA is trusted the way an operator adds one: NODE_EXTRA_CA_CERTS.
    const sidecar = await startSidecar({
      appId: 'redis-tls',
      env: { NODE_EXTRA_CA_CERTS: cert },
      resources: { 'store.yaml': redisComponent(`127.0.0.1:${server.port}`, ['  - {name: enableTLS, value: "true"}']) },
    });
    sidecars.push(sidecar);
    const api = apiOf(sidecar.url);
    expect((await api('POST', '/v1.0/state/store', [{ key: 'secure', value: 'yes' }])).status).toBe(204);
    expect((await api('GET', '/v1.0/state/store/secure')).json()).toBe('yes');
  });

  it('fails to start when Redis refuses the password, naming the component and the address', async () => {
    const server = await startRedisServer(['--requirepass', PASSWORD]);
    servers.push(server);
    const resources = writeResources({ 'store.yaml': redisComponent(`127.0.0.1:${server.port}`, ['  - {name: redisPassword, value: "wrong"}']) });
    const result = await runSidecarCommand(['--app-id', 'redis-bad-password', '--resources-path', resources, '--dapr-http-port', '0']);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain(`error connecting to redis at 127.0.0.1:${server.port}`);
  });
});
