import { apiOf } from './support/api-call';
import { memoryOf, rawExchange, statusOf, upload } from './support/raw-http';
import { startSidecar, type SidecarProcess } from './support/sidecar-process';
import { startTestApp, type TestApp } from './support/test-app';

/** DAPR_API_TOKEN / APP_API_TOKEN, the body limit (413) and the header limit (431). */

const STATE = `apiVersion: dapr.io/v1alpha1
kind: Component
metadata: {name: statestore}
spec: {type: state.in-memory, version: v1}
`;

const MiB = 1024 * 1024;

describe('DAPR_API_TOKEN and APP_API_TOKEN', () => {
  let app: TestApp;
  let sidecar: SidecarProcess;
  let api: ReturnType<typeof apiOf>;
  const withToken = { 'dapr-api-token': 'api-secret' };

  beforeAll(async () => {
    app = await startTestApp();
    sidecar = await startSidecar({
      appId: 'guarded',
      appPort: app.port,
      resources: { 'state.yaml': STATE },
      env: { DAPR_API_TOKEN: 'api-secret', APP_API_TOKEN: 'app-secret' },
      waitForApp: true,
    });
    api = apiOf(sidecar.url);
  });

  afterAll(async () => {
    await sidecar?.stop();
    await app?.close();
  });

  // Three entries each: jest.each takes a test function with more parameters than the row for a done-callback test.
  const guarded: [string, string, unknown][] = [
    ['GET', '/v1.0/metadata', undefined],
    ['PUT', '/v1.0/metadata/k', 'v'],
    ['POST', '/v1.0/state/statestore', [{ key: 'k', value: 1 }]],
    ['GET', '/v1.0/state/statestore/k', undefined],
    ['DELETE', '/v1.0/state/statestore/k', undefined],
    ['POST', '/v1.0/state/statestore/bulk', { keys: ['k'] }],
    ['POST', '/v1.0/state/statestore/transaction', { operations: [] }],
    ['GET', '/v1.0/secrets/any/x', undefined],
    ['POST', '/v1.0/shutdown', undefined],
    ['GET', '/v1.0/invoke/guarded/method/hello', undefined],
    ['POST', '/v1.0/invoke/guarded/method/hello', 'body'],
    ['GET', '/no/such/route', undefined],
    ['HEAD', '/v1.0/healthz', undefined],
    ['POST', '/v1.0/healthz', undefined],
  ];

  it.each(guarded)('answers %s %s without the token with 401 plain-text "invalid api token"', async (method, path, body) => {
    for (const headers of [{}, { 'dapr-api-token': 'wrong' }, { 'dapr-api-token': '' }] as Record<string, string>[]) {
      const res = await api(method, path, body, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      if (method !== 'HEAD') expect(res.text).toBe('invalid api token\n');
    }
    // Nothing the caller sent reached the app (the sidecar's own start-up calls, e.g. /dapr/subscribe, aside).
    expect(app.requests.filter((r) => r.url === '/hello' || r.url.startsWith('/no/'))).toEqual([]);
  });

  it('lets GET /v1.0/healthz and /v1.0/healthz/outbound through without a token', async () => {
    expect((await api('GET', '/v1.0/healthz')).status).toBe(204);
    expect((await api('GET', '/v1.0/healthz/outbound')).status).toBe(204);
  });

  it('serves the API with the right token', async () => {
    expect((await api('POST', '/v1.0/state/statestore', [{ key: 'k', value: 1 }], withToken)).status).toBe(204);
    expect((await api('GET', '/v1.0/state/statestore/k', undefined, withToken)).text).toBe('1');
    expect((await api('GET', '/v1.0/metadata', undefined, withToken)).status).toBe(200);
  });

  it('sends APP_API_TOKEN to the app as dapr-api-token, never the caller token', async () => {
    const res = await api('POST', '/v1.0/invoke/guarded/method/hello', 'hi', withToken);
    expect(res.status).toBe(200);
    const seen = app.requests.at(-1)!;
    expect(seen.url).toBe('/hello');
    expect(seen.headers['dapr-api-token']).toBe('app-secret');
    expect(JSON.stringify(seen.headers)).not.toContain('api-secret');
  });

  it('drops the caller token on the way to the app when APP_API_TOKEN is not set', async () => {
    const plainApp = await startTestApp();
    const plain = await startSidecar({ appId: 'plain', appPort: plainApp.port, env: { DAPR_API_TOKEN: 'api-secret' }, waitForApp: true });
    try {
      expect((await apiOf(plain.url)('GET', '/v1.0/invoke/plain/method/x', undefined, withToken)).status).toBe(200);
      expect(plainApp.requests.find((r) => r.url === '/x')!.headers['dapr-api-token']).toBeUndefined();
    } finally {
      await plain.stop();
      await plainApp.close();
    }
  });
});

describe('request limits', () => {
  let app: TestApp;
  let sidecar: SidecarProcess;
  let big: SidecarProcess;

  beforeAll(async () => {
    app = await startTestApp((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(String(req.body.length));
    });
    [sidecar, big] = await Promise.all([
      startSidecar({ appId: 'limited', appPort: app.port, resources: { 'state.yaml': STATE }, waitForApp: true }),
      startSidecar({ appId: 'roomy', appPort: app.port, args: ['--max-body-size', '16Mi'], waitForApp: true }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([sidecar?.stop(), big?.stop()]);
    await app?.close();
  });

  const uploads = [
    ['state save', '/v1.0/state/statestore', false],
    ['state save', '/v1.0/state/statestore', true],
    ['invocation', '/v1.0/invoke/limited/method/upload', false],
    ['invocation', '/v1.0/invoke/limited/method/upload', true],
  ] as const;

  it.each(uploads)('answers 413 ERR_BODY_TOO_LARGE to a 16 MiB %s body at %s (chunked: %s)', async (_what, path, chunked) => {
    const res = await upload(sidecar.url + path, { size: 16 * MiB, chunked });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body.toString())).toMatchObject({ errorCode: 'ERR_BODY_TOO_LARGE' });
    // The connection is answered, not reset: the sidecar still serves the next request.
    expect((await apiOf(sidecar.url)('GET', '/v1.0/healthz')).status).toBe(204);
  });

  it('lets a fetch client that is still uploading read the 413 instead of a reset connection', async () => {
    const body = Buffer.alloc(16 * MiB, 0x61);
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${sidecar.url}/v1.0/state/statestore`, { method: 'POST', body });
      expect(res.status).toBe(413);
      await res.arrayBuffer();
    }
  });

  it.each(uploads)('does not read a 256 MiB %s body at %s (chunked: %s) into memory', async (_what, path, chunked) => {
    // Warm up with an oversized body, so what is measured is only what a much larger one costs.
    await upload(sidecar.url + path, { size: 16 * MiB, chunked });
    const before = memoryOf(sidecar.process.pid!);
    const res = await upload(sidecar.url + path, { size: 256 * MiB, chunked });
    expect(res.status).toBe(413);
    const after = memoryOf(sidecar.process.pid!);
    // A sidecar that buffered the body would grow by about 256 MiB; one that stops at the 4 MiB limit stays flat
    // (a few MiB of garbage and socket buffers at most).
    expect(after.rss - before.rss).toBeLessThan(32 * MiB);
    expect(after.peak - before.peak).toBeLessThan(32 * MiB);
  });

  it('passes a 16 MiB invocation body with --max-body-size 16Mi', async () => {
    for (const chunked of [false, true]) {
      const res = await upload(`${big.url}/v1.0/invoke/roomy/method/upload`, { size: 16 * MiB, chunked });
      expect(res.status).toBe(200);
      expect(res.body.toString()).toBe(String(16 * MiB));
    }
  });

  it('answers 431 to oversized request headers', async () => {
    const raw = await rawExchange(sidecar.httpPort, `GET /v1.0/metadata HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(16 * 1024)}\r\nConnection: close\r\n\r\n`);
    expect(statusOf(raw)).toBe(431);
    expect((await apiOf(sidecar.url)('GET', '/v1.0/metadata')).status).toBe(200);
  });
});
