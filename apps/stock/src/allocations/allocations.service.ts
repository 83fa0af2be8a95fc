import { Injectable, NotFoundException } from '@nestjs/common';
import { STATE_STORES, type AllocateProduct, type Allocation, type CreateOrderReply, type Product } from '@repo/contracts';
import { DaprClient, withConflictRetry, type StateOperation } from '@repo/nest-dapr';
import { allocationKey, productKey } from '../state-keys';
import { approveAllocate, mergeLines, rejectAllocate, reserveAllocate, type Decision } from './allocation';

const STORE = STATE_STORES.stock;
/** Reservations racing for one product retry until one wins each round; enough rounds for a burst of orders. */
const MAX_ATTEMPTS = 200;

interface Snapshot {
  allocation?: { value: Allocation; etag: string };
  products: Map<string, Product>;
  etags: Map<string, string>;
}

/**
 * Runs the allocation decisions against the store: read the allocation and its products with their etags,
 * decide, write all of it in one transaction under those etags. Stock never goes below zero because a
 * reservation decided on a stale level cannot be written: it is decided again on the fresh one.
 */
@Injectable()
export class AllocationsService {
  constructor(private readonly dapr: DaprClient) {}

  reserve(requestId: string, lines: AllocateProduct[]): Promise<CreateOrderReply> {
    const productIds = mergeLines(lines).map((l) => l.productId);
    return this.decide(requestId, productIds, (s) => reserveAllocate(requestId, lines, s.allocation?.value, s.products, new Date().toISOString()));
  }

  approve(requestId: string): Promise<CreateOrderReply> {
    return this.decide(requestId, 'allocation', (s) => approveAllocate(requestId, s.allocation?.value, s.products, new Date().toISOString()));
  }

  reject(requestId: string): Promise<CreateOrderReply> {
    return this.decide(requestId, 'allocation', (s) => rejectAllocate(requestId, s.allocation?.value, s.products, new Date().toISOString()));
  }

  async get(requestId: string): Promise<Allocation> {
    const item = await this.dapr.getState<Allocation>(STORE, allocationKey(requestId));
    if (!item) throw new NotFoundException(`no allocation for request ${requestId}`);
    return item.value;
  }

  /** `products`: the ids to read, or 'allocation' for the products the stored allocation names. */
  private decide(requestId: string, products: string[] | 'allocation', decide: (s: Snapshot) => Decision): Promise<CreateOrderReply> {
    return withConflictRetry(async () => {
      const snapshot = await this.read(requestId, products);
      const decision = decide(snapshot);
      await this.write(decision, snapshot);
      return decision.reply;
    }, MAX_ATTEMPTS);
  }

  private async read(requestId: string, products: string[] | 'allocation'): Promise<Snapshot> {
    const snapshot: Snapshot = { products: new Map(), etags: new Map() };
    const allocation = await this.dapr.getState<Allocation>(STORE, allocationKey(requestId));
    if (allocation) snapshot.allocation = { value: allocation.value, etag: allocation.etag };
    const ids = products === 'allocation' ? (allocation?.value.products.map((p) => p.productId) ?? []) : products;
    for (const item of await this.dapr.getBulkState<Product>(STORE, ids.map(productKey))) {
      if (item.value === undefined) continue;
      snapshot.products.set(item.value.productId, item.value);
      snapshot.etags.set(item.value.productId, item.etag!);
    }
    return snapshot;
  }

  private async write(decision: Decision, snapshot: Snapshot): Promise<void> {
    const operations: StateOperation[] = decision.products.map((p) => ({
      operation: 'upsert',
      key: productKey(p.productId),
      value: p,
      etag: snapshot.etags.get(p.productId),
    }));
    if (decision.allocation) {
      const key = allocationKey(decision.allocation.requestId);
      // A new allocation is created first-write: of two deliveries of one request, only one can hold stock.
      operations.push(
        snapshot.allocation
          ? { operation: 'upsert', key, value: decision.allocation, etag: snapshot.allocation.etag }
          : { operation: 'upsert', key, value: decision.allocation, concurrency: 'first-write' },
      );
    }
    if (operations.length > 0) await this.dapr.transaction(STORE, operations);
  }
}
