import { DEMO_USER_ID, USER_ID_HEADER, type CartView, type Order, type Product } from '@repo/contracts';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { AppModule } from '../src/app.module';
import type { AppStatusView, DemoResultView, NotAnsweringBody, OrderProgressView } from '../src/web/views';
import { newRegistryDir, startDaprApp, startInProcessSidecar, startTestApp, waitFor, type RunningDaprApp, type RunningSidecar, type TestApp } from './support';

/**
 * The front with stand-ins for the apps it calls: real HTTP apps under their app ids, each behind its own
 * sidecar, all reached only through the front's sidecar. A stand-in answers as the app would, or hangs.
 */

const PRODUCTS: Product[] = [{ productId: '100', name: 'Dapr sticker pack', price: 300, quantity: 7, reserved: 1 }];
const ORDER: Order = {
  orderId: 'o-1',
  userId: 'u-1',
  items: [{ productId: '100', quantity: 1, price: 300 }],
  totalPrice: 300,
  status: 'PAYMENT_CREATE_DOING',
  history: [
    { status: 'STOCK_RESERVE_ALLOCATE_DOING', at: '2026-01-01T00:00:00.000Z' },
    { status: 'PAYMENT_CREATE_DOING', at: '2026-01-01T00:00:01.000Z' },
  ],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:01.000Z',
};

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

describe('front', () => {
  const registryDir = newRegistryDir();
  const standIns: TestApp[] = [];
  const sidecars: RunningSidecar[] = [];
  let front: RunningDaprApp;
  let cartEtag = '1';
  let stockHangs = false;
  /** Answers the requests a hung stock holds. */
  const held: (() => void)[] = [];

  /** A stand-in app under `appId`, behind its own sidecar in this process. */
  async function standIn(appId: string, handler: NonNullable<Parameters<typeof startTestApp>[0]>): Promise<{ app: TestApp; sidecar: RunningSidecar }> {
    // Stand-ins subscribe to nothing; the rest is theirs to answer.
    const app = await startTestApp((req, res) => (req.url === '/dapr/subscribe' ? json(res, 200, []) : handler(req, res)));
    const sidecar = await startInProcessSidecar({ appId, appPort: app.port, registryDir });
    standIns.push(app);
    sidecars.push(sidecar);
    return { app, sidecar };
  }

  let cart: TestApp;

  beforeAll(async () => {
    await standIn('stock', (req, res) => {
      if (req.url === '/healthz') return json(res, 200, { status: 'ok' });
      if (req.url !== '/stock/products') return json(res, 404, { message: 'not here' });
      if (stockHangs) return new Promise<void>((resolve) => held.push(() => resolve(json(res, 200, PRODUCTS))));
      json(res, 200, PRODUCTS);
    });
    cart = (
      await standIn('cart', (req, res) => {
        const view: CartView = { userId: String(req.headers[USER_ID_HEADER]), items: [{ product_id: '100', quantity: 2 }], etag: cartEtag };
        if (req.method === 'GET') return json(res, 200, view, { etag: `"${cartEtag}"` });
        if (req.headers['if-match'] !== `"${cartEtag}"`) return json(res, 409, { statusCode: 409, message: 'the cart changed', cart: view });
        cartEtag = String(Number(cartEtag) + 1);
        json(res, 200, { ...view, etag: cartEtag });
      })
    ).app;
    await standIn('svc-a', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('svc-b api-b1 called!');
    });
    front = await startDaprApp({
      appId: 'front',
      rootModule: AppModule,
      registryDir,
      env: { FRONT_PUBLIC_DIR: path.join(__dirname, '../dist/public'), FRONT_INVOKE_TIMEOUT_MS: '500', FRONT_PROBE_TIMEOUT_MS: '500' },
    });
  });
  afterAll(async () => {
    await front?.stop();
    await Promise.all(sidecars.map((s) => s.stop()));
    await Promise.all(standIns.map((a) => a.close()));
  });

  const get = async <T>(url: string, headers: Record<string, string> = {}) => {
    const res = await fetch(front.url + url, { headers });
    return { status: res.status, headers: res.headers, body: (await res.json()) as T };
  };

  it('serves the storefront and the operations page, their scripts, under a strict content security policy', async () => {
    for (const page of ['/', '/operations']) {
      const res = await fetch(front.url + page);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await res.text()).toMatch(/<script type="module" src="\/assets\/(storefront|operations)\.js"><\/script>/);
    }
    const script = await fetch(`${front.url}/assets/storefront.js`);
    expect([script.status, script.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect((await fetch(`${front.url}/assets/..%2Fmain.js`)).status).toBe(404);
  });

  it('lists the products with their stock, as stock answers them through the sidecars', async () => {
    expect(await get('/api/products')).toMatchObject({ status: 200, body: PRODUCTS });
  });

  it('passes the shopper and the cart’s etag on, and a stale etag’s 409 with the current cart back', async () => {
    const current = await get<CartView>('/api/cart', { [USER_ID_HEADER]: 'u-1' });
    expect(current.body).toMatchObject({ userId: 'u-1', etag: cartEtag });

    const add = (ifMatch: string) =>
      fetch(`${front.url}/api/cart/items`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [USER_ID_HEADER]: 'u-1', 'if-match': ifMatch },
        body: JSON.stringify({ productId: '100', quantity: 1 }),
      });
    const first = await add(`"${current.body.etag}"`);
    expect(first.status).toBe(200);
    expect(JSON.parse(cart.requests.at(-1)!.body.toString())).toEqual({ product_id: '100', quantity: 1 });

    // A second tab still holds the old etag: refused, and shown the cart as it is now.
    const stale = await add(`"${current.body.etag}"`);
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ cart: { etag: cartEtag } });
  });

  it('names the shopper the article’s demo user when the page names nobody', async () => {
    expect((await get<CartView>('/api/cart')).body.userId).toBe(DEMO_USER_ID);
  });

  it('answers 503 with a sentence naming the app when that app is not running', async () => {
    const res = await fetch(`${front.url}/api/orders`, { method: 'POST', headers: { [USER_ID_HEADER]: 'u-1' } });
    expect(res.status).toBe(503);
    const body = (await res.json()) as NotAnsweringBody;
    expect(body).toMatchObject({ statusCode: 503, appId: 'order', message: 'The order service is not answering.' });
  });

  it('gives up on an app that hangs, fails at once while its earlier calls still wait, and recovers when it answers', async () => {
    stockHangs = true;
    try {
      for (let i = 0; i < 2; i++) expect(await get<NotAnsweringBody>('/api/products')).toMatchObject({ status: 503, body: { detail: 'no answer within 500 ms' } });
      expect(await get<NotAnsweringBody>('/api/products')).toMatchObject({ status: 503, body: { message: 'Stock is not answering.', detail: '2 earlier calls are still waiting for an answer' } });
    } finally {
      stockHangs = false;
      held.splice(0).forEach((answer) => answer());
    }
    await waitFor('stock to be called again once its held calls were answered', async () => (await get('/api/products')).status === 200);
  });

  it('shows a notice while the order waits for payment that is down, and none once payment answers', async () => {
    await standIn('order', (req, res) => (req.url === '/orders/o-1' ? json(res, 200, ORDER) : json(res, 404, { message: 'no such order' })));
    const down = await get<OrderProgressView>('/api/orders/o-1');
    expect(down.body).toMatchObject({ final: false, waitingFor: 'payment', notice: 'Payment is not answering; your order will continue when it is back.' });

    await standIn('payment', (_req, res) => json(res, 200, { status: 'ok' }));
    await waitFor('the notice to go once payment answers', async () => (await get<OrderProgressView>('/api/orders/o-1')).body.notice === undefined);
  });

  it('refuses an order id that is more than one path segment, so it cannot reach another route of order', async () => {
    expect((await fetch(`${front.url}/api/orders/..%2F..%2Fhealthz`)).status).toBe(400);
  });

  it('lists every app for the operations page: health, and the front’s own sidecar through its metadata route', async () => {
    const { body } = await get<AppStatusView[]>('/api/operations/apps');
    expect(body.map((a) => a.appId)).toEqual(['front', 'svc-a', 'svc-b', 'cart', 'order', 'stock', 'payment']);
    const byId = new Map(body.map((a) => [a.appId, a]));
    expect(byId.get('front')).toMatchObject({ health: { state: 'healthy' }, sidecar: { components: [] } });
    expect(byId.get('svc-b')).toMatchObject({ health: { state: 'not-answering' }, sidecarProblem: expect.stringContaining('svc-b is not answering') });
    // The stand-ins have no metadata route: the page says so instead of guessing.
    expect(byId.get('stock')).toMatchObject({ health: { state: 'healthy' }, sidecarProblem: 'GET /sidecar/metadata on stock answered 404' });
  });

  it('runs the article’s svc-a → svc-b demo and shows what came back', async () => {
    const res = await fetch(`${front.url}/api/demos/invoke-svc-a`, { method: 'POST' });
    expect((await res.json()) as DemoResultView).toEqual({
      demo: 'invoke-svc-a',
      calls: [{ request: 'GET /api-a1 on svc-a', status: 200, contentType: 'text/html; charset=utf-8', body: 'svc-b api-b1 called!' }],
    });
  });
});
