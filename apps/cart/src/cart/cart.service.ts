import { Injectable } from '@nestjs/common';
import { STATE_STORES, type CartItem, type CartView } from '@repo/contracts';
import { DaprClient, StateConflictError } from '@repo/nest-dapr';
import { asItems } from './cart-items';

/** The cart changed since the etag the caller sent; `current` is the cart as it is now. */
export class CartChangedError extends Error {
  constructor(readonly current: CartView) {
    super(`the cart changed since you read it; it is now at etag ${current.etag ?? '(none)'}`);
  }
}

/**
 * Carts in the `cart` state store, one key per user (the article's layout: the key is the user id, the value
 * the list of `{product_id, quantity}`). Changes are optimistic: with the caller's etag, a stale cart is
 * refused (so two tabs cannot overwrite each other); without one, the change is retried on the latest cart.
 */
@Injectable()
export class CartService {
  constructor(private readonly dapr: DaprClient) {}

  async get(userId: string): Promise<CartView> {
    const item = await this.dapr.getState<unknown>(STATE_STORES.cart, userId);
    return { userId, items: asItems(item?.value), etag: item?.etag ?? null };
  }

  /** The article's save: the cart becomes exactly this one line. */
  async save(userId: string, line: CartItem): Promise<void> {
    await this.dapr.saveState(STATE_STORES.cart, [{ key: userId, value: [line] }]);
  }

  async change(userId: string, change: (items: CartItem[]) => CartItem[], ifMatch?: string): Promise<CartView> {
    if (ifMatch === undefined) {
      await this.dapr.updateState<unknown>(STATE_STORES.cart, userId, (value) => change(asItems(value)));
      return this.get(userId);
    }
    const current = await this.get(userId);
    if (current.etag !== ifMatch) throw new CartChangedError(current);
    await this.conflictAsChanged(userId, () => this.dapr.saveState(STATE_STORES.cart, [{ key: userId, value: change(current.items), etag: ifMatch }]));
    return this.get(userId);
  }

  async clear(userId: string, ifMatch?: string): Promise<CartView> {
    await this.conflictAsChanged(userId, () => this.dapr.deleteState(STATE_STORES.cart, userId, { etag: ifMatch }));
    return this.get(userId);
  }

  private async conflictAsChanged(userId: string, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (err) {
      if (err instanceof StateConflictError) throw new CartChangedError(await this.get(userId));
      throw err;
    }
  }
}
