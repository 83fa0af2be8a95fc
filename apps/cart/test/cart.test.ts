import { DEMO_USER_ID, USER_ID_HEADER, type CartConflict, type CartView } from '@repo/contracts';
import { AppModule } from '../src/app.module';
import { newRegistryDir, startDaprApp, type RunningDaprApp } from './support';

const CART_STORE = `apiVersion: dapr.io/v1alpha1
kind: Component
metadata: { name: cart }
spec: { type: state.in-memory, version: v1 }
`;

describe('cart on the cart state store', () => {
  let cart: RunningDaprApp;

  beforeAll(async () => {
    cart = await startDaprApp({ appId: 'cart', rootModule: AppModule, resources: { 'cart.yaml': CART_STORE }, registryDir: newRegistryDir() });
  });
  afterAll(() => cart?.stop());

  const call = async (method: string, path: string, opts: { user?: string; body?: unknown; ifMatch?: string } = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (opts.user) headers[USER_ID_HEADER] = opts.user;
    if (opts.ifMatch !== undefined) headers['if-match'] = opts.ifMatch;
    const res = await fetch(cart.url + path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // plain text (the article's "OK")
    }
    return { status: res.status, body, etag: res.headers.get('etag') };
  };

  it('POST /save then GET /get round-trips the article’s body, under the demo user by default', async () => {
    expect(await call('POST', '/save', { body: { product_id: '100', quantity: '300' } })).toMatchObject({ status: 200, body: 'OK' });
    expect(await call('GET', '/get')).toMatchObject({ status: 200, body: [{ product_id: '100', quantity: 300 }] });
    // The article's key is the user id: the demo user's cart is what the sidecar holds under A00001.
    const stored = await fetch(`${cart.daprUrl}/v1.0/state/cart/${DEMO_USER_ID}`);
    expect(await stored.json()).toEqual([{ product_id: '100', quantity: 300 }]);
  });

  it('keeps one cart per user, named by the x-user-id header', async () => {
    await call('POST', '/save', { user: 'U-alice', body: { product_id: '101', quantity: 1 } });
    await call('POST', '/save', { user: 'U-bob', body: { product_id: '102', quantity: 2 } });
    expect((await call('GET', '/get', { user: 'U-alice' })).body).toEqual([{ product_id: '101', quantity: 1 }]);
    expect((await call('GET', '/get', { user: 'U-bob' })).body).toEqual([{ product_id: '102', quantity: 2 }]);
    expect((await call('GET', '/get', { user: 'U-nobody' })).body).toEqual([]);
  });

  it('adds items, sums the quantity of a product added twice, and answers with the cart and its etag', async () => {
    const user = 'U-add';
    await call('POST', '/cart/items', { user, body: { product_id: '100', quantity: 1 } });
    const res = await call('POST', '/cart/items', { user, body: { product_id: '100', quantity: 2 } });
    const view = res.body as CartView;
    expect(view).toEqual({ userId: user, items: [{ product_id: '100', quantity: 3 }], etag: expect.any(String) });
    expect(res.etag).toBe(`"${view.etag}"`);
  });

  it('sets a quantity, removes a line at 0 or by DELETE, and empties the cart', async () => {
    const user = 'U-edit';
    await call('POST', '/cart/items', { user, body: { product_id: '100', quantity: 1 } });
    await call('POST', '/cart/items', { user, body: { product_id: '101', quantity: 1 } });
    expect(((await call('PUT', '/cart/items/100', { user, body: { quantity: 5 } })).body as CartView).items).toEqual([
      { product_id: '100', quantity: 5 },
      { product_id: '101', quantity: 1 },
    ]);
    expect(((await call('PUT', '/cart/items/100', { user, body: { quantity: 0 } })).body as CartView).items).toEqual([{ product_id: '101', quantity: 1 }]);
    expect(((await call('DELETE', '/cart/items/101', { user })).body as CartView).items).toEqual([]);
    await call('POST', '/cart/items', { user, body: { product_id: '103', quantity: 1 } });
    expect(await call('DELETE', '/cart', { user })).toMatchObject({ status: 200, body: { userId: user, items: [], etag: null } });
  });

  it('answers 409 with the current cart when If-Match carries a stale etag, and changes nothing', async () => {
    const user = 'U-tabs';
    const first = (await call('POST', '/cart/items', { user, body: { product_id: '100', quantity: 1 } })).body as CartView;
    // Tab 2 changes the cart; tab 1 still holds the first etag.
    const second = (await call('POST', '/cart/items', { user, ifMatch: first.etag!, body: { product_id: '101', quantity: 1 } })).body as CartView;
    const stale = await call('PUT', '/cart/items/100', { user, ifMatch: `"${first.etag}"`, body: { quantity: 9 } });
    expect(stale.status).toBe(409);
    expect((stale.body as CartConflict).cart).toEqual(second);
    expect(((await call('GET', '/cart', { user })).body as CartView).items).toEqual(second.items);
  });

  it('loses no update when many changes without If-Match race', async () => {
    const user = 'U-race';
    await Promise.all(Array.from({ length: 20 }, () => call('POST', '/cart/items', { user, body: { product_id: '100', quantity: 1 } })));
    expect(((await call('GET', '/cart', { user })).body as CartView).items).toEqual([{ product_id: '100', quantity: 20 }]);
  });

  it('refuses invalid bodies and user ids with 400', async () => {
    expect((await call('POST', '/save', { body: { product_id: '100', quantity: 'many' } })).status).toBe(400);
    expect((await call('POST', '/cart/items', { body: { product_id: '100', quantity: 0 } })).status).toBe(400);
    expect((await call('GET', '/cart', { user: 'a||b' })).status).toBe(400);
  });
});
