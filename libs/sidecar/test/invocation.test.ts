import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { apiOf } from './support/api-call';
import { startAppProcess, type AppProcess } from './support/app-process';
import { newRegistryDir, startSidecar, type SidecarProcess } from './support/sidecar-process';
import { echo, startTestApp, type RecordedRequest, type TestApp } from './support/test-app';

/**
 * Service invocation between two real sidecars, each in front of a real app, finding each other through one
 * shared registry directory (standalone name resolution).
 */

const registryDir = newRegistryDir();
const NAMESPACE = 'shop';
let appA: TestApp;
let appB: TestApp;
let sidecarA: SidecarProcess;
let sidecarB: SidecarProcess;
let api: ReturnType<typeof apiOf>;

/** App B: `/status/<code>` answers that status, `/stream` echoes the raw body, anything else echoes the request as JSON. */
function appBHandler(req: RecordedRequest, res: import('node:http').ServerResponse): void {
  const status = /^\/status\/(\d{3})/.exec(req.url);
  if (status) {
    res.writeHead(Number(status[1]), { 'content-type': 'text/plain', 'x-from-app': 'b' });
    res.end(`app said ${status[1]}`);
  } else if (req.url === '/stream') {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(req.body);
  } else {
    echo(req, res);
  }
}

const lastRequestTo = (app: TestApp, path: string) => app.requests.filter((r) => r.url.startsWith(path)).at(-1);

beforeAll(async () => {
  [appA, appB] = await Promise.all([startTestApp(), startTestApp(appBHandler)]);
  const env = { NAMESPACE };
  [sidecarA, sidecarB] = await Promise.all([
    startSidecar({ appId: 'a', appPort: appA.port, registryDir, env, waitForApp: true }),
    startSidecar({ appId: 'b', appPort: appB.port, registryDir, env, waitForApp: true }),
  ]);
  api = apiOf(sidecarA.url);
});

afterAll(async () => {
  await Promise.all([sidecarA?.stop(), sidecarB?.stop()]);
  await Promise.all([appA?.close(), appB?.close()]);
});

describe('the request the callee app gets', () => {
  it.each(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('forwards %s with its path, query string and body', async (method) => {
    const body = method === 'GET' || method === 'OPTIONS' ? undefined : `payload for ${method}`;
    const res = await api(method, `/v1.0/invoke/b/method/api/v1/orders?id=7&tag=a%20b&tag=c`, body, body ? { 'content-type': 'text/plain' } : {});
    expect(res.status).toBe(200);
    const seen = lastRequestTo(appB, '/api/v1/orders')!;
    expect(seen.method).toBe(method);
    expect(seen.url).toBe('/api/v1/orders?id=7&tag=a%20b&tag=c');
    expect(seen.body.toString()).toBe(body ?? '');
    if (body) expect(seen.headers['content-type']).toBe('text/plain');
  });

  it('forwards HEAD and passes back the status and headers without a body', async () => {
    const res = await api('HEAD', '/v1.0/invoke/b/method/head-check');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-test-app')).toBe('yes');
    expect(res.text).toBe('');
    expect(lastRequestTo(appB, '/head-check')!.method).toBe('HEAD');
  });

  it('forwards end-to-end headers and drops hop-by-hop ones, the API token and caller-supplied ids', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${sidecarA.url}/v1.0/invoke/b/method/headers`, {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'x-custom': 'kept',
          authorization: 'Bearer app-level',
          connection: 'keep-alive, x-listed-in-connection',
          'x-listed-in-connection': 'dropped',
          'keep-alive': 'timeout=5',
          'proxy-authorization': 'Basic c2VjcmV0',
          'proxy-connection': 'keep-alive',
          te: 'trailers',
          trailer: 'x-checksum',
          upgrade: 'h2c',
          'dapr-api-token': 'must-not-leak',
          'dapr-caller-app-id': 'forged',
          'dapr-callee-app-id': 'forged',
          'dapr-caller-namespace': 'forged',
        },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(200);
    const headers = lastRequestTo(appB, '/headers')!.headers;
    expect(headers).toMatchObject({
      'x-custom': 'kept',
      authorization: 'Bearer app-level',
      'content-type': 'application/json',
      'dapr-caller-app-id': 'a',
      'dapr-callee-app-id': 'b',
      'dapr-caller-namespace': NAMESPACE,
    });
    for (const dropped of ['x-listed-in-connection', 'keep-alive', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'upgrade', 'dapr-api-token', 'dapr-app-id']) {
      expect(headers).not.toHaveProperty(dropped);
    }
    expect(headers['connection'] ?? '').not.toContain('x-listed-in-connection');
  });

  it('sends no Content-Type when the caller sent none', async () => {
    await api('POST', '/v1.0/invoke/b/method/no-type', Buffer.from('raw'));
    const seen = lastRequestTo(appB, '/no-type')!;
    expect(seen.body.toString()).toBe('raw');
    expect(seen.headers).not.toHaveProperty('content-type');
  });
});

describe('the response the caller gets', () => {
  it.each([200, 201, 404, 418, 500, 503])('passes the app status %i, headers and body back unchanged', async (code) => {
    const res = await api('GET', `/v1.0/invoke/b/method/status/${code}`);
    expect(res.status).toBe(code);
    expect(res.headers.get('x-from-app')).toBe('b');
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(res.text).toBe(`app said ${code}`);
  });

  it('streams a 3 MiB body to the app and back byte for byte', async () => {
    const payload = randomBytes(3 * 1024 * 1024);
    const chunks = Array.from({ length: 48 }, (_, i) => payload.subarray(i * 65536, (i + 1) * 65536));
    const res = await fetch(`${sidecarA.url}/v1.0/invoke/b/method/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: Readable.toWeb(Readable.from(chunks)) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(200);
    const back = Buffer.from(await res.arrayBuffer());
    expect(back.length).toBe(payload.length);
    expect(createHash('sha256').update(back).digest('hex')).toBe(createHash('sha256').update(payload).digest('hex'));
  });
});

describe('addressing the callee', () => {
  it('invokes through the dapr-app-id header on a path that is no Dapr route, and does not forward the header', async () => {
    const res = await api('POST', '/add?x=1', '{"a":1}', { 'dapr-app-id': 'b', 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    const seen = lastRequestTo(appB, '/add')!;
    expect(seen.url).toBe('/add?x=1');
    expect(seen.method).toBe('POST');
    expect(seen.headers).not.toHaveProperty('dapr-app-id');
    expect(seen.headers['dapr-caller-app-id']).toBe('a');
  });

  it('accepts app.namespace, and fails for another namespace', async () => {
    expect((await api('GET', `/v1.0/invoke/b.${NAMESPACE}/method/namespaced`)).status).toBe(200);
    expect(lastRequestTo(appB, '/namespaced')).toBeDefined();
    const other = await api('GET', '/v1.0/invoke/b.elsewhere/method/namespaced');
    expect(other.status).toBe(500);
    expect(other.json()).toMatchObject({ errorCode: 'ERR_DIRECT_INVOKE' });
  });

  it('refuses an app id with more than one dot', async () => {
    const res = await api('GET', '/v1.0/invoke/b.shop.extra/method/x');
    expect(res.status).toBe(500);
    expect(res.json<{ message: string }>().message).toContain('invalid app id');
  });

  it('invokes its own app directly, with caller and callee stamped as itself', async () => {
    const res = await api('GET', '/v1.0/invoke/a/method/self', undefined, { 'dapr-caller-app-id': 'forged' });
    expect(res.status).toBe(200);
    const seen = lastRequestTo(appA, '/self')!;
    expect(seen.headers['dapr-caller-app-id']).toBe('a');
    expect(seen.headers['dapr-callee-app-id']).toBe('a');
  });

  it('answers 404 ERR_DIRECT_INVOKE when the path names no method', async () => {
    const res = await api('GET', '/v1.0/invoke/b');
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ errorCode: 'ERR_DIRECT_INVOKE' });
  });

  it('answers 500 ERR_DIRECT_INVOKE for an app id no sidecar serves', async () => {
    const res = await api('GET', '/v1.0/invoke/nobody/method/x');
    expect(res.status).toBe(500);
    expect(res.json()).toMatchObject({ errorCode: 'ERR_DIRECT_INVOKE' });
    expect(res.json<{ message: string }>().message).toContain('failed to invoke, id: nobody');
  });
});

describe('when the callee goes away', () => {
  let appC: AppProcess;
  let sidecarC: SidecarProcess;

  beforeAll(async () => {
    appC = await startAppProcess();
    sidecarC = await startSidecar({ appId: 'c', appPort: appC.port, registryDir, waitForApp: true, env: { NAMESPACE } });
  });

  afterAll(async () => {
    await sidecarC?.kill();
    await appC?.kill();
  });

  it('answers 500 ERR_DIRECT_INVOKE once the app is killed, and again once its sidecar is killed too', async () => {
    expect((await api('POST', '/v1.0/invoke/c/method/alive', 'x')).status).toBe(200);

    await appC.kill('SIGKILL');
    const appGone = await api('POST', '/v1.0/invoke/c/method/alive', 'x');
    expect(appGone.status).toBe(500);
    expect(appGone.json()).toMatchObject({ errorCode: 'ERR_DIRECT_INVOKE' });

    await sidecarC.kill();
    for (let i = 0; i < 3; i++) {
      const sidecarGone = await api('POST', '/v1.0/invoke/c/method/alive', 'x');
      expect(sidecarGone.status).toBe(500);
      expect(sidecarGone.json()).toMatchObject({ errorCode: 'ERR_DIRECT_INVOKE' });
    }
    // The caller itself is unharmed.
    expect((await api('GET', '/v1.0/invoke/b/method/still-there')).status).toBe(200);
  });
});
