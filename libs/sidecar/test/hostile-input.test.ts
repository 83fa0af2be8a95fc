import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { apiOf } from './support/api-call';
import { rawExchange, statusOf } from './support/raw-http';
import { newRegistryDir, startSidecar, type SidecarProcess } from './support/sidecar-process';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * A thousand malformed or hostile requests (perf-reliability §5: traversal and encoding tricks, bad JSON, broken
 * HTTP), sent byte for byte over raw sockets. The sidecar must answer each without crashing, keep serving,
 * and never let the app see a path other than the one the caller named.
 */

const STATE = `apiVersion: dapr.io/v1alpha1
kind: Component
metadata: {name: statestore}
spec: {type: state.in-memory, version: v1}
`;

let app: TestApp;
let sidecar: SidecarProcess;
const registryDir = newRegistryDir();

beforeAll(async () => {
  app = await startTestApp();
  sidecar = await startSidecar({ appId: 'target', appPort: app.port, resources: { 'state.yaml': STATE }, registryDir, waitForApp: true });
});

/** The internal port peers call, as the sidecar announced it in the shared registry directory. */
function internalPort(): number {
  const folder = path.join(registryDir, 'target');
  const [file] = readdirSync(folder);
  return (JSON.parse(readFileSync(path.join(folder, file!), 'utf8')) as { port: number }).port;
}

afterAll(async () => {
  await sidecar?.stop();
  await app?.close();
});

const INVOKE = '/v1.0/invoke/target/method/';

/** Method paths that try to leave `public/` (CVE-2026-41491's test set and the §5.3 checklist). */
const TRAVERSALS = [
  'public%2F..%2Funauthorized',
  'public%23/../unauthorized',
  'public%3F/../unauthorized',
  'public%0D/../unauthorized',
  'public%25/../unauthorized',
  'public/sub%23/../../unauthorized',
  'public/../unauthorized',
  'public/./../unauthorized',
  'public/%2e%2e/unauthorized',
  'public/%2E%2E%2Funauthorized',
  'public/..%2Funauthorized',
  'public/.%2e/unauthorized',
  'public/%2e%2e%5Cunauthorized',
  'public\\..\\unauthorized',
  'public%00/../unauthorized',
  'public/%00',
  'public%0D%0AX-Injected:%20yes',
  'public/%ff%fe',
  'public%252F..%252Funauthorized',
  'public/%252e%252e/unauthorized',
  'public//..//unauthorized',
];

function http(method: string, path: string, headers: Record<string, string> = {}, body = ''): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  if (body) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

const json = { 'Content-Type': 'application/json' };
const deepValue = `[{"key":"deep","value":${'['.repeat(20_000)}${']'.repeat(20_000)}}]`;

const HOSTILE: string[] = [
  ...TRAVERSALS.map((p) => http('GET', INVOKE + p)),
  ...TRAVERSALS.map((p) => http('POST', INVOKE + p, json, '{}')),
  ...TRAVERSALS.map((p) => http('GET', `/${p}`, { 'dapr-app-id': 'target' })),
  http('GET', '/v1.0/invoke/..%2F..%2Fetc/method/x'),
  http('GET', '/v1.0/invoke/target%00/method/x'),
  http('GET', '/v1.0/invoke/%zz/method/x'),
  http('GET', '/v1.0/invoke/http%3A%2F%2F169.254.169.254/method/latest'),
  http('GET', '/v1.0/invoke/a.b.c/method/x'),
  http('GET', '/v1.0/invoke/target'),
  http('GET', '/v1.0/invoke/target/../../v1.0/secrets/x/y'),
  http('POST', '/v1.0/state/statestore', json, '['),
  http('POST', '/v1.0/state/statestore', json, '{"key":"k","value":1}'),
  http('POST', '/v1.0/state/statestore', json, '[1,2,3]'),
  http('POST', '/v1.0/state/statestore', json, '[{"key":1,"value":1}]'),
  http('POST', '/v1.0/state/statestore', json, '[{"key":"a||b","value":1}]'),
  http('POST', '/v1.0/state/statestore', json, '[{"key":"k","value":1,"options":{"concurrency":"sometimes"}}]'),
  http('POST', '/v1.0/state/statestore', json, '[{"key":"k","value":1,"metadata":{"ttlInSeconds":"soon"}}]'),
  http('POST', '/v1.0/state/statestore', json, 'null'),
  http('POST', '/v1.0/state/statestore', json, '\u0000\u0001'),
  http('POST', '/v1.0/state/statestore', json, deepValue),
  http('POST', '/v1.0/state/statestore/bulk', json, '{"keys":[1,{"a":2}]}'),
  http('POST', '/v1.0/state/statestore/bulk', json, '{"keys":"k"}'),
  http('POST', '/v1.0/state/statestore/transaction', json, '{"operations":"all"}'),
  http('POST', '/v1.0/state/statestore/transaction', json, '{"operations":[{"operation":"drop","request":{"key":"k"}}]}'),
  http('POST', '/v1.0/state/statestore/transaction', json, '{"operations":[null]}'),
  http('GET', '/v1.0/state/nope/k'),
  http('GET', '/v1.0/state/%2e%2e/k'),
  http('GET', '/v1.0/state/statestore/..%2F..%2Fetc%2Fpasswd'),
  http('GET', '/v1.0/state/statestore/%00'),
  http('GET', '/v1.0/state/statestore/%zz'),
  http('GET', '/v1.0/state/../secrets/x/y'),
  http('GET', '/v1.0/secrets/..%2F..%2Fetc/passwd'),
  http('PUT', '/v1.0/metadata/%zz', {}, 'x'),
  http('GET', `/v1.0/state/statestore/${'k'.repeat(4000)}`),
  'FOO /v1.0/metadata HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
  'GET /v1.0/metadata HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n',
  'GET /v1.0/invoke/target/method/public/a\r\nX-Injected: yes HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET\u0000/v1.0/metadata HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET /v1.0/metadata HTTP/1.1\r\nHost: x\r\nX-Bad: a\rb\r\nConnection: close\r\n\r\n',
  'POST /v1.0/state/statestore HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n[]',
  'POST /v1.0/state/statestore HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\nConnection: close\r\n\r\n',
  'POST /v1.0/state/statestore HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n',
  'POST /v1.0/state/statestore HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n[]\r\n0\r\n\r\n',
  'POST /v1.0/invoke/target/method/public/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n[]\r\n0\r\n\r\n',
  'GET /v1.0/metadata HTTP/1.1\r\nConnection: close\r\n\r\n',
  '\r\n\r\n\r\nBROKEN\r\n\r\n',
  'not http at all\r\n\r\n',
];

describe('hostile and malformed requests', () => {
  it('answers 1,000 of them, keeps serving, and never lets the app see a path it was not asked for', async () => {
    const requests = Array.from({ length: 1000 }, (_, i) => HOSTILE[i % HOSTILE.length]!);
    const statuses = new Map<number, number>();
    const generic = new Set<string>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const request = requests[next++]!;
        const raw = await rawExchange(sidecar.httpPort, request);
        const status = statusOf(raw);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (raw.includes('"errorCode":"ERROR"')) generic.add(request.split('\r\n', 1)[0]!);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));

    // Every request got an HTTP answer with a status daprd could give, and none fell through to a generic error.
    expect(statuses.get(0) ?? 0).toBe(0);
    expect([...generic]).toEqual([]);
    expect(sidecar.process.exitCode).toBeNull();
    for (const status of statuses.keys()) expect([200, 204, 400, 401, 404, 405, 413, 431, 500, 505]).toContain(status);

    const api = apiOf(sidecar.url);
    expect((await api('GET', `${INVOKE}public/ok`)).status).toBe(200);
    expect((await api('POST', '/v1.0/state/statestore', [{ key: 'after', value: 'still fine' }])).status).toBe(204);
    expect((await api('GET', '/v1.0/state/statestore/after')).text).toBe('"still fine"');

    // The app saw the normal request, the double-encoded names as the literal segment each one names (one
    // decode, as daprd does), the path a CR/LF cut short, and nothing else: no dot segment ever resolved.
    const named = ['/public/ok', '/public%252F..%252Funauthorized', '/public/%252e%252e/unauthorized', '/public/a'];
    const seen = app.requests.map((r) => r.url).filter((url) => !url.startsWith('/dapr/'));
    expect(seen).toContain('/public/ok');
    expect(seen.filter((url) => !named.includes(url))).toEqual([]);
  });

  it('answers path tricks with ERR_DIRECT_INVOKE rather than a generic error', async () => {
    // Raw, because fetch would resolve the dot segments itself before sending.
    for (const path of [...TRAVERSALS.filter((p) => !p.includes('%25') && !p.includes('%252')).map((p) => INVOKE + p), '/v1.0/invoke/%zz/method/x']) {
      const raw = await rawExchange(sidecar.httpPort, http('GET', path));
      expect([path, statusOf(raw)]).toEqual([path, 500]);
      expect(raw).toContain('"errorCode":"ERR_DIRECT_INVOKE"');
    }
  });

  it('applies the same path checks to requests that reach the internal (peer) port directly', async () => {
    const port = internalPort();
    const seenBefore = app.requests.length;
    const headers = { 'dapr-callee-app-id': 'target', 'dapr-caller-app-id': 'someone' };
    for (const p of ['/public/../unauthorized', '/public%2F..%2Funauthorized', '/public%23/../unauthorized', '/public/%2e%2e/unauthorized']) {
      const raw = await rawExchange(port, http('GET', p, headers));
      expect([p, statusOf(raw)]).toEqual([p, 500]);
    }
    expect(statusOf(await rawExchange(port, http('GET', '/public/peer-ok', headers)))).toBe(200);
    expect(app.requests.slice(seenBefore).map((r) => r.url)).toEqual(['/public/peer-ok']);
  });

  it('refuses a state value nested deeper than Go allows with 400 ERR_MALFORMED_REQUEST', async () => {
    const res = await apiOf(sidecar.url)('POST', '/v1.0/state/statestore', deepValue, json);
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ errorCode: 'ERR_MALFORMED_REQUEST' });
  });
});
