import { randomBytes } from 'node:crypto';
import {
  FINAL_ORDER_STATUSES,
  PUBSUB_NAME,
  USER_ID_HEADER,
  type AllocateProduct,
  type Allocation,
  type Order,
  type Payment,
  type Product,
  type ReceivedDemoOrders,
} from '@repo/contracts';
import { eventually, expectStatus, findJson, getJson } from './http';
import type { RunningSystem, SystemApp } from './system';

/**
 * The shop as the suites drive it, over each app's HTTP API. With Redis the state outlives a run (and sqlite's
 * does too), so every id a test creates carries this run's tag and no test assumes what the stores held before.
 */
export const RUN_TAG = `sys-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

let counter = 0;
/** An id no earlier run used: `sys-<time>-<random>-<what>-<n>`. */
export function freshId(what: string): string {
  return `${RUN_TAG}-${what}-${++counter}`;
}

export const userHeader = (userId: string): Record<string, string> => ({ [USER_ID_HEADER]: userId });

/** Creates (or restocks) a product: `PUT /stock/products/:id`. */
export async function putProduct(system: RunningSystem, productId: string, product: { price: number; quantity: number }): Promise<Product> {
  const url = `${system.appUrl('stock')}/stock/products/${encodeURIComponent(productId)}`;
  const answer = await expectStatus(200, 'PUT', url, { body: { name: `system-e2e ${productId}`, ...product } });
  return JSON.parse(answer.text) as Product;
}

/** A product of its own for one test: fresh id, the given price and stock. */
export async function newProduct(system: RunningSystem, what: string, product: { price: number; quantity: number }): Promise<Product> {
  return putProduct(system, freshId(what), product);
}

export function getProduct(system: RunningSystem, productId: string): Promise<Product> {
  return getJson<Product>(`${system.appUrl('stock')}/stock/products/${encodeURIComponent(productId)}`);
}

/** `POST /orders` as `userId`: 201 with the order, which has just started its saga. */
export async function placeOrder(system: RunningSystem, userId: string, items: AllocateProduct[]): Promise<Order> {
  const answer = await expectStatus(201, 'POST', `${system.appUrl('order')}/orders`, { body: { items }, headers: userHeader(userId) });
  return JSON.parse(answer.text) as Order;
}

export function getOrder(system: RunningSystem, orderId: string): Promise<Order> {
  return getJson<Order>(`${system.appUrl('order')}/orders/${encodeURIComponent(orderId)}`);
}

export const isFinal = (order: Order): boolean => FINAL_ORDER_STATUSES.includes(order.status);

const describeOrder = (o: Order): string => `${o.orderId} ${o.status}${o.message ? ` (${o.message})` : ''}; history ${o.history.map((h) => h.status).join(' → ')}`;

/** Polls until every order is in a final state; returns them in the same order. */
export async function waitUntilFinal(system: RunningSystem, orderIds: string[], timeoutMs = 60_000): Promise<Order[]> {
  const latest = new Map<string, Order>();
  await eventually(
    `${orderIds.length === 1 ? `order ${orderIds[0]}` : `all ${orderIds.length} orders`} to reach a final state (${FINAL_ORDER_STATUSES.join(', ')})`,
    async () => {
      const pending = orderIds.filter((id) => !latest.has(id) || !isFinal(latest.get(id)!));
      for (const order of await Promise.all(pending.map((id) => getOrder(system, id)))) latest.set(order.orderId, order);
      return orderIds.filter((id) => !isFinal(latest.get(id)!));
    },
    (notFinal) => notFinal.length === 0,
    {
      timeoutMs,
      intervalMs: 250,
      show: (notFinal) => `${notFinal.length} not final, e.g. ${notFinal.slice(0, 3).map((id) => describeOrder(latest.get(id)!)).join('; ')}`,
    },
  );
  return orderIds.map((id) => latest.get(id)!);
}

/** Places one order for `quantity` of `productId` and waits for the saga to end. */
export async function orderAndWait(system: RunningSystem, productId: string, quantity: number): Promise<Order> {
  const order = await placeOrder(system, freshId('user'), [{ productId, quantity }]);
  const [final] = await waitUntilFinal(system, [order.orderId]);
  return final!;
}

/** `GET /stock/allocations/:requestId`; undefined when stock holds no allocation for it. */
export function findAllocation(system: RunningSystem, requestId: string): Promise<Allocation | undefined> {
  return findJson<Allocation>(`${system.appUrl('stock')}/stock/allocations/${encodeURIComponent(requestId)}`);
}

/** `GET /payments/:requestId`; undefined when payment never heard of it. */
export function findPayment(system: RunningSystem, requestId: string): Promise<Payment | undefined> {
  return findJson<Payment>(`${system.appUrl('payment')}/payments/${encodeURIComponent(requestId)}`);
}

/** What stock or payment received of the article's `order` message. */
export function receivedDemoOrders(system: RunningSystem, app: 'stock' | 'payment'): Promise<ReceivedDemoOrders> {
  return getJson<ReceivedDemoOrders>(`${system.appUrl(app)}/order/received`);
}

/** Publishes through `via`'s sidecar (`POST /v1.0/publish/order-pubsub/<topic>`), as the apps themselves do. */
export async function publish(system: RunningSystem, via: SystemApp, topic: string, data: unknown): Promise<void> {
  await expectStatus(204, 'POST', `${system.sidecarUrl(via)}/v1.0/publish/${PUBSUB_NAME}/${topic}`, { body: data });
}
