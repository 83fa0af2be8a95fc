import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { apiOf } from './support/api-call';
import { startSidecar, type SidecarProcess } from './support/sidecar-process';

/**
 * `secretstores.kubernetes` through the sidecar's secrets API. No cluster can run here, so a local HTTPS server
 * answers like the API server (`/api/v1/namespaces/{ns}/secrets[/{name}]`), with a certificate of its own that
 * the component trusts through `caPath`, and it only answers a request carrying the service-account token.
 */

const TOKEN = 'service-account-token-123';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const SECRETS: Record<string, Record<string, Record<string, string>>> = {
  shop: { db: { user: b64('admin'), password: b64('p@ss:wörd') }, api: { key: b64('k-1') } },
  other: { db: { user: b64('other-admin') } },
  'pod-ns': { only: { here: b64('yes') } },
};

const dir = mkdtempSync(path.join(os.tmpdir(), 'kube-secrets-'));
const accountDir = path.join(dir, 'serviceaccount');
const seenRequests: { path: string; authorization?: string }[] = [];
let apiServer: Server;
let sidecar: SidecarProcess;
let api: ReturnType<typeof apiOf>;

function status(code: number, message: string): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code });
}

beforeAll(async () => {
  const cert = path.join(dir, 'apiserver.crt');
  const key = path.join(dir, 'apiserver.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=kubernetes', '-addext', 'subjectAltName=IP:127.0.0.1'], {
    stdio: 'ignore',
  });
  mkdirSync(accountDir);
  writeFileSync(path.join(accountDir, 'token'), `${TOKEN}\n`);
  writeFileSync(path.join(accountDir, 'namespace'), 'pod-ns');
  writeFileSync(path.join(dir, 'wrong-token'), 'not-the-token');

  apiServer = createServer({ cert: readFileSync(cert), key: readFileSync(key) }, (req, res) => {
    seenRequests.push({ path: req.url!, authorization: req.headers.authorization });
    res.setHeader('content-type', 'application/json');
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return void res.writeHead(401).end(status(401, 'Unauthorized'));
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/secrets(?:\/([^/?]+))?$/.exec(req.url!);
    if (!m || req.method !== 'GET') return void res.writeHead(404).end(status(404, 'the server could not find the requested resource'));
    const [, namespace, name] = m.map((s) => (s === undefined ? s : decodeURIComponent(s)));
    const inNamespace = SECRETS[namespace!] ?? {};
    if (name === undefined) {
      const items = Object.entries(inNamespace).map(([n, data]) => ({ metadata: { name: n, namespace }, data, type: 'Opaque' }));
      return void res.writeHead(200).end(JSON.stringify({ kind: 'SecretList', apiVersion: 'v1', items }));
    }
    const data = inNamespace[name];
    if (!data) return void res.writeHead(404).end(status(404, `secrets "${name}" not found`));
    res.writeHead(200).end(JSON.stringify({ kind: 'Secret', apiVersion: 'v1', metadata: { name, namespace }, data, type: 'Opaque' }));
  });
  await new Promise<void>((resolve) => apiServer.listen(0, '127.0.0.1', resolve));
  const apiServerUrl = `https://127.0.0.1:${(apiServer.address() as AddressInfo).port}`;

  const store = (name: string, metadata: Record<string, string>) =>
    [
      'apiVersion: dapr.io/v1alpha1',
      'kind: Component',
      `metadata: {name: ${name}}`,
      'spec:',
      '  type: secretstores.kubernetes',
      '  version: v1',
      '  metadata:',
      ...Object.entries({ apiServerUrl, caPath: cert, ...metadata }).map(([k, v]) => `  - {name: ${k}, value: "${v}"}`),
      '',
    ].join('\n');
  sidecar = await startSidecar({
    appId: 'kube-secrets',
    // No NAMESPACE: the store without defaultNamespace must find the pod's namespace file.
    env: { NAMESPACE: '' },
    resources: {
      'kube.yaml': store('kube', { tokenPath: path.join(accountDir, 'token'), defaultNamespace: 'shop' }),
      'kube-pod.yaml': store('kube-pod', { tokenPath: path.join(accountDir, 'token') }),
      'kube-wrong-token.yaml': store('kube-wrong-token', { tokenPath: path.join(dir, 'wrong-token'), defaultNamespace: 'shop' }),
    },
  });
  api = apiOf(sidecar.url);
});

afterAll(async () => {
  await sidecar?.stop();
  await new Promise((resolve) => apiServer?.close(resolve));
});

describe('secretstores.kubernetes', () => {
  it('returns every key of the Secret, base64-decoded, asking the API server with the service-account token', async () => {
    const res = await api('GET', '/v1.0/secrets/kube/db');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ user: 'admin', password: 'p@ss:wörd' });
    expect(seenRequests).toContainEqual({ path: '/api/v1/namespaces/shop/secrets/db', authorization: `Bearer ${TOKEN}` });
  });

  it('reads from the namespace given as metadata.namespace', async () => {
    const res = await api('GET', '/v1.0/secrets/kube/db?metadata.namespace=other');
    expect(res.json()).toEqual({ user: 'other-admin' });
  });

  it("falls back to the pod's namespace file beside the token when no defaultNamespace is set", async () => {
    const res = await api('GET', '/v1.0/secrets/kube-pod/only');
    expect(res.json()).toEqual({ here: 'yes' });
  });

  it('answers 500 ERR_SECRET_GET for a Secret that does not exist', async () => {
    const res = await api('GET', '/v1.0/secrets/kube/missing');
    expect(res.status).toBe(500);
    expect(res.json()).toMatchObject({ errorCode: 'ERR_SECRET_GET', message: expect.stringContaining('secret missing not found') });
  });

  it('lists every Secret of the namespace for a bulk get', async () => {
    const res = await api('GET', '/v1.0/secrets/kube/bulk');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ db: { user: 'admin', password: 'p@ss:wörd' }, api: { key: 'k-1' } });
  });

  it("reports the API server's refusal when the token is not accepted", async () => {
    const res = await api('GET', '/v1.0/secrets/kube-wrong-token/db');
    expect(res.status).toBe(500);
    expect(res.json<{ message: string }>().message).toContain('the Kubernetes API answered 401: Unauthorized');
  });
});
