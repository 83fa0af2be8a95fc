import { Injectable } from '@nestjs/common';
import { STATE_STORES, type Order } from '@repo/contracts';
import { DaprClient, type StateItem } from '@repo/nest-dapr';

const STORE = STATE_STORES.order;
/** The newest order ids, newest first: what `GET /orders` lists. */
const INDEX_KEY = 'orders';
const INDEX_SIZE = 200;
const orderKey = (orderId: string): string => `order:${orderId}`;

/** Orders in the `order-store`: one key per order, and a bounded index of the newest. */
@Injectable()
export class OrdersStore {
  constructor(private readonly dapr: DaprClient) {}

  get(orderId: string): Promise<StateItem<Order> | undefined> {
    return this.dapr.getState<Order>(STORE, orderKey(orderId));
  }

  async create(order: Order): Promise<void> {
    await this.dapr.saveState(STORE, [{ key: orderKey(order.orderId), value: order, concurrency: 'first-write' }]);
    // Many orders at once all prepend to one key: retried on conflict, one writer wins each round.
    await this.dapr.updateState<string[]>(STORE, INDEX_KEY, (ids = []) => [order.orderId, ...ids].slice(0, INDEX_SIZE), { maxAttempts: 500 });
  }

  /** Writes the order if it is still at `etag` (StateConflictError otherwise). */
  async save(order: Order, etag: string): Promise<void> {
    await this.dapr.saveState(STORE, [{ key: orderKey(order.orderId), value: order, etag }]);
  }

  async update(orderId: string, change: (order: Order) => Order): Promise<Order> {
    return this.dapr.updateState<Order>(STORE, orderKey(orderId), (order) => change(order!));
  }

  async recent(limit: number): Promise<Order[]> {
    const ids = ((await this.dapr.getState<string[]>(STORE, INDEX_KEY))?.value ?? []).slice(0, limit);
    const items = await this.dapr.getBulkState<Order>(STORE, ids.map(orderKey));
    return items.flatMap((i) => (i.value ? [i.value] : []));
  }
}
