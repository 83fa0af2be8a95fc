import type { Allocation, Product, ReceivedDemoOrders } from '@repo/contracts';
import { AllocationsService } from '../src/allocations/allocations.service';
import { AppModule } from '../src/app.module';
import { pubsubOptions } from '../src/pubsub';
import { SEED_PRODUCTS } from '../src/products/seed';
import { DEMO_SUBSCRIPTION_FILE, PUBSUB, STOCK_STORE, startOrchestrator, type Orchestrator } from './saga-support';
import { newRegistryDir, startDaprApp, waitFor, type RunningDaprApp } from './support';

describe('stock in the order saga', () => {
  const registryDir = newRegistryDir();
  let stock: RunningDaprApp;
  let order: Orchestrator;

  beforeAll(async () => {
    order = await startOrchestrator(registryDir);
    stock = await startDaprApp({
      appId: 'stock',
      rootModule: AppModule,
      resources: { 'pubsub.yaml': PUBSUB, 'store.yaml': STOCK_STORE, 'subscription.yaml': DEMO_SUBSCRIPTION_FILE },
      pubsub: pubsubOptions({ demoSubscription: 'declarative' }),
      registryDir,
    });
  });
  afterAll(async () => {
    await stock?.stop();
    await order?.stop();
  });

  const product = async (id: string): Promise<Product> => (await fetch(`${stock.url}/stock/products/${id}`)).json() as Promise<Product>;
  const allocation = async (id: string): Promise<Allocation> => (await fetch(`${stock.url}/stock/allocations/${id}`)).json() as Promise<Allocation>;
  const restock = async (id: string, quantity: number): Promise<Product> => {
    const res = await fetch(`${stock.url}/stock/products/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Product ${id}`, price: 100, quantity }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Product;
  };

  it('seeds the demo catalogue and lists it with stock levels', async () => {
    const res = await fetch(`${stock.url}/stock/products`);
    expect(await res.json()).toEqual(SEED_PRODUCTS);
  });

  it('reserves with a semantic lock (quantity → reserved, PENDING), then approval makes it ALLOCATED', async () => {
    await restock('p-ok', 5);
    await order.publish('stock-reserve-allocate', { requestId: 'ok-1', products: [{ productId: 'p-ok', quantity: 2 }] });
    expect(await order.repliesFor('ok-1')).toEqual([{ requestId: 'ok-1', status: 200, processType: 'STOCK_RESERVE_ALLOCATE' }]);
    expect(await product('p-ok')).toMatchObject({ quantity: 3, reserved: 2 });
    expect(await allocation('ok-1')).toMatchObject({ status: 'PENDING', products: [{ productId: 'p-ok', quantity: 2 }] });

    await order.publish('stock-approve-allocate', { requestId: 'ok-1' });
    expect((await order.repliesFor('ok-1', 2))[1]).toEqual({ requestId: 'ok-1', status: 200, processType: 'STOCK_APPROVE_ALLOCATE' });
    expect(await product('p-ok')).toMatchObject({ quantity: 3, reserved: 0 });
    expect((await allocation('ok-1')).status).toBe('ALLOCATED');
  });

  it('refuses a reservation beyond the stock (400) and holds nothing', async () => {
    await restock('p-short', 1);
    await order.publish('stock-reserve-allocate', { requestId: 'short-1', products: [{ productId: 'p-short', quantity: 2 }] });
    expect(await order.repliesFor('short-1')).toEqual([
      { requestId: 'short-1', status: 400, processType: 'STOCK_RESERVE_ALLOCATE', message: 'Lack of stock: p-short (requested 2, available 1)' },
    ]);
    expect(await product('p-short')).toMatchObject({ quantity: 1, reserved: 0 });
  });

  it('gives a rejected reservation back (compensation)', async () => {
    await restock('p-back', 4);
    await order.publish('stock-reserve-allocate', { requestId: 'back-1', products: [{ productId: 'p-back', quantity: 3 }] });
    await order.repliesFor('back-1');
    await order.publish('stock-reject-allocate', { requestId: 'back-1' });
    expect((await order.repliesFor('back-1', 2))[1]).toEqual({ requestId: 'back-1', status: 200, processType: 'STOCK_REJECT_ALLOCATE' });
    expect(await product('p-back')).toMatchObject({ quantity: 4, reserved: 0 });
    expect((await allocation('back-1')).status).toBe('REJECTED');
  });

  it('handles every saga message delivered twice once, and repeats its reply', async () => {
    await restock('p-dup', 5);
    const reserve = { requestId: 'dup-1', products: [{ productId: 'p-dup', quantity: 2 }] };
    await order.publish('stock-reserve-allocate', reserve);
    await order.publish('stock-reserve-allocate', reserve);
    expect((await order.repliesFor('dup-1', 2)).map((r) => r.status)).toEqual([200, 200]);
    expect(await product('p-dup')).toMatchObject({ quantity: 3, reserved: 2 });
    await order.publish('stock-reject-allocate', { requestId: 'dup-1' });
    await order.publish('stock-reject-allocate', { requestId: 'dup-1' });
    await order.repliesFor('dup-1', 4);
    expect(await product('p-dup')).toMatchObject({ quantity: 5, reserved: 0 });
  });

  it('never goes below zero: of 50 concurrent reservations for 10 items exactly 10 succeed', async () => {
    await restock('p-burst', 10);
    const service = stock.app.get(AllocationsService);
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => service.reserve(`burst-${i}`, [{ productId: 'p-burst', quantity: 1 }])));
    expect(replies.filter((r) => r.status === 200)).toHaveLength(10);
    expect(replies.filter((r) => r.status === 400)).toHaveLength(40);
    expect(await product('p-burst')).toMatchObject({ quantity: 0, reserved: 10 });
  });

  it('drops a saga message that is not valid instead of retrying it forever', async () => {
    const res = await fetch(`${stock.url}/stock/reserveAllocate`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({ id: 'e', specversion: '1.0', type: 't', source: 's', datacontenttype: 'application/json', data: { requestId: 'bad', products: [] } }),
    });
    expect(await res.json()).toEqual({ status: 'DROP' });
  });

  it('receives the article’s order message on POST /order through the Subscription file', async () => {
    await order.publish('order', { id: '0001', name: 'sample' });
    const received = await waitFor('the demo message', async () => {
      const list = (await (await fetch(`${stock.url}/order/received`)).json()) as ReceivedDemoOrders;
      return list.count > 0 ? list : undefined;
    });
    expect(received.messages.map((m) => m.data)).toEqual([{ id: '0001', name: 'sample' }]);
    // Declared by the file, so not listed programmatically (that would subscribe twice).
    const listed = (await (await fetch(`${stock.url}/dapr/subscribe`)).json()) as { topic: string }[];
    expect(listed.map((s) => s.topic).sort()).toEqual(['stock-approve-allocate', 'stock-reject-allocate', 'stock-reserve-allocate']);
  });
});
