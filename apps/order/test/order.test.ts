import type { Order, Product } from '@repo/contracts';
import { AppModule } from '../src/app.module';
import { PUBSUB_OPTIONS } from '../src/pubsub';
import { ORDER_STORE, PUBSUB, startCart, startParticipants, type Participants } from './participants';
import { newRegistryDir, startDaprApp, waitFor, type RunningDaprApp } from './support';

const CATALOGUE: Product[] = [
  { productId: '100', name: 'Sticker', price: 300, quantity: 10, reserved: 0 },
  { productId: '101', name: 'Mug', price: 1200, quantity: 10, reserved: 0 },
];

describe('order, the saga orchestrator', () => {
  const registryDir = newRegistryDir();
  let participants: Participants;
  let cart: Awaited<ReturnType<typeof startCart>>;
  let order: RunningDaprApp;

  beforeAll(async () => {
    participants = await startParticipants(registryDir, CATALOGUE);
    cart = await startCart(registryDir, {
      'U-cart': { userId: 'U-cart', items: [{ product_id: '101', quantity: 2 }], etag: '7' },
    });
    order = await startDaprApp({ appId: 'order', rootModule: AppModule, resources: { 'pubsub.yaml': PUBSUB, 'store.yaml': ORDER_STORE }, pubsub: PUBSUB_OPTIONS, registryDir });
  });
  afterAll(async () => {
    await order?.stop();
    await cart?.stop();
    await participants?.stop();
  });

  const placeOrder = async (body: unknown, user?: string) => {
    const res = await fetch(`${order.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(user ? { 'x-user-id': user } : {}) },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Order & { message?: string } };
  };
  const getOrder = async (id: string) => (await (await fetch(`${order.url}/orders/${id}`)).json()) as Order;
  const untilStatus = (id: string, status: string) =>
    waitFor(`order ${id} in ${status}`, async () => {
      const o = await getOrder(id);
      return o.status === status ? o : undefined;
    });

  it('takes an order at the catalogue’s prices in STOCK_RESERVE_ALLOCATE_DOING and asks stock to reserve', async () => {
    const { status, body } = await placeOrder({ items: [{ productId: '100', quantity: 2 }, { productId: '101', quantity: 1 }] });
    expect(status).toBe(201);
    expect(body).toMatchObject({ userId: 'A00001', status: 'STOCK_RESERVE_ALLOCATE_DOING', totalPrice: 1800, items: [{ productId: '100', quantity: 2, price: 300 }, { productId: '101', quantity: 1, price: 1200 }] });
    expect(await participants.commandsFor(body.orderId, 1)).toEqual([
      { topic: 'stock-reserve-allocate', data: { requestId: body.orderId, products: [{ productId: '100', quantity: 2 }, { productId: '101', quantity: 1 }] } },
    ]);
  });

  it('walks the happy path to DELIVERY_IN_PREPARATION, one command per reply, with the history', async () => {
    const { body } = await placeOrder({ items: [{ productId: '100', quantity: 1 }] });
    const id = body.orderId;
    await participants.commandsFor(id, 1);
    await participants.reply(id, 'STOCK_RESERVE_ALLOCATE', 200);
    expect((await participants.commandsFor(id, 2))[1]).toEqual({ topic: 'payment-create', data: { requestId: id, userId: 'A00001', totalPrice: 300 } });
    await participants.reply(id, 'PAYMENT_CREATE', 200);
    expect((await participants.commandsFor(id, 3))[2]).toEqual({ topic: 'stock-approve-allocate', data: { requestId: id } });
    await participants.reply(id, 'STOCK_APPROVE_ALLOCATE', 200);
    const done = await untilStatus(id, 'DELIVERY_IN_PREPARATION');
    expect(done.history.map((h) => h.status)).toEqual(['STOCK_RESERVE_ALLOCATE_DOING', 'PAYMENT_CREATE_DOING', 'STOCK_APPROVE_ALLOCATE_DOING', 'DELIVERY_IN_PREPARATION']);
  });

  it('compensates a failed payment by rejecting the stock reservation, ending in REJECT', async () => {
    const { body } = await placeOrder({ items: [{ productId: '101', quantity: 1 }] });
    const id = body.orderId;
    await participants.reply(id, 'STOCK_RESERVE_ALLOCATE', 200);
    await participants.commandsFor(id, 2);
    await participants.reply(id, 'PAYMENT_CREATE', 400, 'over the limit');
    expect((await participants.commandsFor(id, 3))[2]).toEqual({ topic: 'stock-reject-allocate', data: { requestId: id } });
    expect((await untilStatus(id, 'STOCK_REJECT_ALLOCATE_DOING')).message).toBe('over the limit');
    await participants.reply(id, 'STOCK_REJECT_ALLOCATE', 200);
    await untilStatus(id, 'REJECT');
  });

  it('ends in ERROR when stock cannot reserve', async () => {
    const { body } = await placeOrder({ items: [{ productId: '100', quantity: 5 }] });
    await participants.reply(body.orderId, 'STOCK_RESERVE_ALLOCATE', 400, 'Lack of stock: 100');
    expect(await untilStatus(body.orderId, 'ERROR')).toMatchObject({ message: 'Lack of stock: 100' });
  });

  it('changes nothing when a reply arrives twice, and sends the outstanding command again', async () => {
    const { body } = await placeOrder({ items: [{ productId: '100', quantity: 1 }] });
    const id = body.orderId;
    await participants.reply(id, 'STOCK_RESERVE_ALLOCATE', 200);
    await untilStatus(id, 'PAYMENT_CREATE_DOING');
    await participants.reply(id, 'STOCK_RESERVE_ALLOCATE', 200);
    const commands = await participants.commandsFor(id, 3);
    expect(commands.map((c) => c.topic)).toEqual(['stock-reserve-allocate', 'payment-create', 'payment-create']);
    expect((await getOrder(id)).history).toHaveLength(2);
  });

  it('orders the user’s cart when no items are given, and empties that cart under its etag', async () => {
    const { status, body } = await placeOrder({}, 'U-cart');
    expect(status).toBe(201);
    expect(body).toMatchObject({ userId: 'U-cart', items: [{ productId: '101', quantity: 2, price: 1200 }], totalPrice: 2400 });
    expect(cart.deletes).toContainEqual({ user: 'U-cart', ifMatch: '7' });
  });

  it('refuses an empty cart and unknown products with 400', async () => {
    expect((await placeOrder({}, 'U-empty')).status).toBe(400);
    const unknown = await placeOrder({ items: [{ productId: '999', quantity: 1 }] });
    expect(unknown).toMatchObject({ status: 400, body: { message: 'unknown product 999' } });
  });

  it('lists the newest orders first and 404s an unknown one', async () => {
    const a = (await placeOrder({ items: [{ productId: '100', quantity: 1 }] })).body;
    const b = (await placeOrder({ items: [{ productId: '100', quantity: 1 }] })).body;
    const listed = (await (await fetch(`${order.url}/orders?limit=2`)).json()) as Order[];
    expect(listed.map((o) => o.orderId)).toEqual([b.orderId, a.orderId]);
    expect((await fetch(`${order.url}/orders/no-such-order`)).status).toBe(404);
  });

  it('publishes the article’s message on its demo route and answers "Hello Hiroba"', async () => {
    const res = await fetch(`${order.url}/`);
    expect(await res.text()).toBe('Hello Hiroba');
    expect(await waitFor('the demo message', () => participants.commands.find((c) => c.topic === 'order'))).toEqual({ topic: 'order', data: { id: '0001', name: 'sample' } });
  });
});
