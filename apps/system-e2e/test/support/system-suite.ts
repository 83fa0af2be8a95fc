import { setTimeout as sleep } from 'node:timers/promises';
import { API_B1_RESPONSE, DEMO_ORDER_MESSAGE, DEMO_ORDER_RESPONSE, OrderStatus, type Order } from '@repo/contracts';
import { eventually, expectStatus, getJson } from './http';
import { handledLines, handledLinesAfterRepeat, sagaMessages } from './saga-messages';
import {
  findAllocation,
  findPayment,
  freshId,
  getOrder,
  getProduct,
  newProduct,
  orderAndWait,
  placeOrder,
  publish,
  receivedDemoOrders,
  userHeader,
  waitUntilFinal,
} from './shop';
import { busyPorts, PAYMENT_LIMIT, startSystem, tail, type Mode, type RunningSystem } from './system';

/**
 * A window long enough for a second delivery of something that was just delivered to show up. Used only where
 * the point is that nothing more arrives; everything that should happen is polled for.
 */
const SETTLE_MS = 2_000;
const START_TIMEOUT_MS = 240_000;

/**
 * The end-to-end proof, the same on every mode: the whole system started as `npm start` starts it, the
 * article's three demos, and nautible's order saga (happy path, out of stock, payment failure, a burst of
 * concurrent orders for scarce stock, every message delivered twice). Each test makes its own products, users
 * and orders, so state left in Redis or sqlite by earlier runs cannot change an outcome.
 */
export function describeSystem(mode: Mode): void {
  describe(`the system on ${mode.name}`, () => {
    let system: RunningSystem;

    beforeAll(async () => {
      system = await startSystem(mode);
    }, START_TIMEOUT_MS);

    afterAll(async () => {
      // Normally the last test has stopped it already; after a failure this is what stops it.
      if (system?.running()) await system.stop();
    }, 40_000);

    it('GET /api-a1 on svc-a returns svc-b’s answer through the sidecars', async () => {
      const answer = await expectStatus(200, 'GET', `${system.appUrl('svc-a')}/api-a1`);
      expect(answer.text).toBe(API_B1_RESPONSE);
    });

    it('cart: POST /save then GET /get round-trips each user’s cart, and users do not see each other’s', async () => {
      const [alice, bob] = [freshId('user'), freshId('user')];
      const save = (user: string, line: { product_id: string; quantity: number }) =>
        expectStatus(200, 'POST', `${system.appUrl('cart')}/save`, { body: line, headers: userHeader(user) });
      const get = (user: string) => getJson<unknown>(`${system.appUrl('cart')}/get`, userHeader(user));

      expect((await save(alice, { product_id: '100', quantity: 2 })).text).toBe('OK');
      expect((await save(bob, { product_id: '101', quantity: 5 })).text).toBe('OK');
      expect(await get(alice)).toEqual([{ product_id: '100', quantity: 2 }]);
      expect(await get(bob)).toEqual([{ product_id: '101', quantity: 5 }]);
      // The article's save replaces the cart with its one line.
      await save(alice, { product_id: '102', quantity: 1 });
      expect({ alice: await get(alice), bob: await get(bob) }).toEqual({
        alice: [{ product_id: '102', quantity: 1 }],
        bob: [{ product_id: '101', quantity: 5 }],
      });
    });

    it('the article’s order message reaches stock and payment exactly once each', async () => {
      const before = { stock: await receivedDemoOrders(system, 'stock'), payment: await receivedDemoOrders(system, 'payment') };
      const answer = await expectStatus(200, 'GET', `${system.appUrl('order')}/`);
      expect(answer.text).toBe(DEMO_ORDER_RESPONSE);

      const arrived = (app: 'stock' | 'payment') =>
        eventually(`the order message at ${app} (GET /order/received count above ${before[app].count})`, () => receivedDemoOrders(system, app), (r) => r.count > before[app].count);
      await Promise.all([arrived('stock'), arrived('payment')]);
      await sleep(SETTLE_MS);
      const after = { stock: await receivedDemoOrders(system, 'stock'), payment: await receivedDemoOrders(system, 'payment') };

      expect({ stock: after.stock.count - before.stock.count, payment: after.payment.count - before.payment.count }).toEqual({ stock: 1, payment: 1 });
      const [atStock, atPayment] = [after.stock.messages.at(-1)!, after.payment.messages.at(-1)!];
      expect(atStock.data).toEqual(DEMO_ORDER_MESSAGE);
      expect(atPayment.data).toEqual(DEMO_ORDER_MESSAGE);
      // One publish, one CloudEvent: both subscribers got the same event.
      expect(atStock.eventId).toBeTruthy();
      expect(atPayment.eventId).toBe(atStock.eventId);
    });

    it('saga happy path: the order ends in DELIVERY_IN_PREPARATION and stock is reduced by the ordered quantity', async () => {
      const product = await newProduct(system, 'happy', { price: 300, quantity: 5 });
      const order = await orderAndWait(system, product.productId, 2);

      expect(statuses(order)).toEqual([
        OrderStatus.STOCK_RESERVE_ALLOCATE_DOING,
        OrderStatus.PAYMENT_CREATE_DOING,
        OrderStatus.STOCK_APPROVE_ALLOCATE_DOING,
        OrderStatus.DELIVERY_IN_PREPARATION,
      ]);
      expect(await getProduct(system, product.productId)).toMatchObject({ quantity: 3, reserved: 0 });
      expect(await findAllocation(system, order.orderId)).toMatchObject({ status: 'ALLOCATED', products: [{ productId: product.productId, quantity: 2 }] });
      expect(await findPayment(system, order.orderId)).toMatchObject({ status: 'CREATED', totalPrice: 600 });
    });

    it('out of stock: the order ends in ERROR and nothing is reserved', async () => {
      const product = await newProduct(system, 'scarce', { price: 300, quantity: 1 });
      const order = await orderAndWait(system, product.productId, 2);

      expect(statuses(order)).toEqual([OrderStatus.STOCK_RESERVE_ALLOCATE_DOING, OrderStatus.ERROR]);
      expect(order.message).toMatch(/Lack of stock/);
      expect(await getProduct(system, product.productId)).toMatchObject({ quantity: 1, reserved: 0 });
      // The refusal is recorded (so a repeat gets the same answer), holding nothing.
      expect(await findAllocation(system, order.orderId)).toMatchObject({ status: 'REJECTED', reserveSucceeded: false });
      expect(await findPayment(system, order.orderId)).toBeUndefined();
    });

    it('payment failure: an order over PAYMENT_LIMIT is compensated to REJECT and its stock given back', async () => {
      const product = await newProduct(system, 'dear', { price: PAYMENT_LIMIT + 1, quantity: 3 });
      const order = await orderAndWait(system, product.productId, 1);

      expect(statuses(order)).toEqual([
        OrderStatus.STOCK_RESERVE_ALLOCATE_DOING,
        OrderStatus.PAYMENT_CREATE_DOING,
        OrderStatus.STOCK_REJECT_ALLOCATE_DOING,
        OrderStatus.REJECT,
      ]);
      expect(order.message).toMatch(/exceeds the limit/);
      expect(await getProduct(system, product.productId)).toMatchObject({ quantity: 3, reserved: 0 });
      expect(await findAllocation(system, order.orderId)).toMatchObject({ status: 'REJECTED', reserveSucceeded: true });
      expect(await findPayment(system, order.orderId)).toMatchObject({ status: 'FAILED' });
    });

    it('50 concurrent orders for 10 items: exactly 10 succeed, the rest fail, and stock ends at 0', async () => {
      const product = await newProduct(system, 'burst', { price: 100, quantity: 10 });
      const placed = await Promise.all(Array.from({ length: 50 }, () => placeOrder(system, freshId('user'), [{ productId: product.productId, quantity: 1 }])));
      const orders = await waitUntilFinal(system, placed.map((o) => o.orderId), 150_000);

      const byStatus = countBy(orders.map((o) => o.status));
      expect(byStatus[OrderStatus.DELIVERY_IN_PREPARATION]).toBe(10);
      expect((byStatus[OrderStatus.ERROR] ?? 0) + (byStatus[OrderStatus.REJECT] ?? 0)).toBe(40);
      expect(await getProduct(system, product.productId)).toMatchObject({ quantity: 0, reserved: 0 });
    }, 200_000);

    it('every saga message delivered twice changes nothing', async () => {
      const [happy, scarce, dear] = await Promise.all([
        newProduct(system, 'twice-happy', { price: 300, quantity: 5 }),
        newProduct(system, 'twice-scarce', { price: 300, quantity: 1 }),
        newProduct(system, 'twice-dear', { price: PAYMENT_LIMIT + 1, quantity: 3 }),
      ]);
      const orders = await Promise.all([orderAndWait(system, happy.productId, 2), orderAndWait(system, scarce.productId, 2), orderAndWait(system, dear.productId, 1)]);
      expect(orders.map((o) => o.status)).toEqual([OrderStatus.DELIVERY_IN_PREPARATION, OrderStatus.ERROR, OrderStatus.REJECT]);
      const products = [happy, scarce, dear].map((p) => p.productId);
      const snapshot = () => Promise.all(orders.map((o, i) => sagaState(system, o.orderId, products[i]!)));
      const before = await snapshot();

      for (const order of orders) {
        const messages = sagaMessages(order);
        const target = handledLinesAfterRepeat(messages);
        // Through order's sidecar, as the saga's own messages go out (every reply again, every command again).
        for (const message of messages) await publish(system, 'order', message.topic, message.data);
        for (const app of ['stock', 'payment', 'order'] as const) {
          await eventually(
            `${app} to handle the repeated messages of order ${order.orderId} (${order.status}: ${messages.map((m) => m.topic).join(', ')}), ${target[app]} handled lines in all`,
            async () => handledLines(system, app, order.orderId),
            (lines) => lines >= target[app],
            { show: (lines) => `${lines} handled lines; its last lines:\n${tail(system.logLines(app).join('\n'), 8)}` },
          );
        }
      }
      await sleep(SETTLE_MS);
      expect(await snapshot()).toEqual(before);
    }, 120_000);

    it('stops on Ctrl-C, leaving no process behind and every port free', async () => {
      const { code, output } = await system.stop();
      expect({ code, stopped: /stopped in [\d.]+s; no app process is left/.test(output) }).toEqual({ code: 0, stopped: true });
      expect(await busyPorts()).toEqual([]);
    }, 40_000);
  });
}

function statuses(order: Order): string[] {
  return order.history.map((h) => h.status);
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

/** Everything a saga leaves behind: the order, its product's stock level, stock's allocation, the payment. */
async function sagaState(system: RunningSystem, orderId: string, productId: string) {
  return { order: await getOrder(system, orderId), product: await getProduct(system, productId), allocation: await findAllocation(system, orderId), payment: await findPayment(system, orderId) };
}

