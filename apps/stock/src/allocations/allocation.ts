import {
  AllocateStatus,
  ProcessType,
  type AllocateProduct,
  type Allocation,
  type CreateOrderReply,
  type Product,
} from '@repo/contracts';

/**
 * Stock's side of the saga as pure functions: given the stored allocation (by request id) and the products it
 * touches, what to store and what to reply. The service reads, calls one of these, and writes everything in one
 * transaction under the etags it read; a lost race is retried from the read.
 *
 * Semantic lock (nautible's countermeasure): a reservation moves quantity from `quantity` to `reserved` and
 * stays PENDING until approved (ALLOCATED: sold) or rejected (REJECTED: given back). Idempotency: the allocation
 * is keyed by request id, so a repeated request finds it and gets the same reply without changing anything.
 */

export interface Decision {
  /** The allocation to store; undefined when nothing is written. */
  allocation?: Allocation;
  /** Products whose stock levels change. */
  products: Product[];
  reply: CreateOrderReply;
}

const ok = (requestId: string, processType: ProcessType): CreateOrderReply => ({ requestId, status: 200, processType });
const fail = (requestId: string, processType: ProcessType, message: string): CreateOrderReply => ({ requestId, status: 400, processType, message });

/** Adds up lines that name the same product, so one order line per product is checked and held. */
export function mergeLines(lines: readonly AllocateProduct[]): AllocateProduct[] {
  const byProduct = new Map<string, number>();
  for (const { productId, quantity } of lines) byProduct.set(productId, (byProduct.get(productId) ?? 0) + quantity);
  return [...byProduct].map(([productId, quantity]) => ({ productId, quantity }));
}

export function reserveAllocate(
  requestId: string,
  lines: readonly AllocateProduct[],
  existing: Allocation | undefined,
  products: ReadonlyMap<string, Product>,
  now: string,
): Decision {
  const type = ProcessType.STOCK_RESERVE_ALLOCATE;
  if (existing) {
    return { products: [], reply: existing.reserveSucceeded ? ok(requestId, type) : fail(requestId, type, existing.message ?? 'the reservation was refused') };
  }
  const merged = mergeLines(lines);
  const unknown = merged.filter((l) => !products.has(l.productId)).map((l) => l.productId);
  const short = merged.filter((l) => products.has(l.productId) && products.get(l.productId)!.quantity < l.quantity);
  const problem = unknown.length
    ? `Unknown product: ${unknown.join(', ')}`
    : short.length
      ? `Lack of stock: ${short.map((l) => `${l.productId} (requested ${l.quantity}, available ${products.get(l.productId)!.quantity})`).join(', ')}`
      : undefined;
  if (problem) {
    // Nothing is held; the refusal is recorded so that a repeated request gets the same answer.
    return {
      allocation: { requestId, status: AllocateStatus.REJECTED, products: merged, reserveSucceeded: false, message: problem, updatedAt: now },
      products: [],
      reply: fail(requestId, type, problem),
    };
  }
  return {
    allocation: { requestId, status: AllocateStatus.PENDING, products: merged, reserveSucceeded: true, updatedAt: now },
    products: merged.map((l) => {
      const p = products.get(l.productId)!;
      return { ...p, quantity: p.quantity - l.quantity, reserved: p.reserved + l.quantity };
    }),
    reply: ok(requestId, type),
  };
}

export function approveAllocate(requestId: string, existing: Allocation | undefined, products: ReadonlyMap<string, Product>, now: string): Decision {
  const type = ProcessType.STOCK_APPROVE_ALLOCATE;
  if (!existing) return { products: [], reply: fail(requestId, type, 'No reservation for this request') };
  if (existing.status === AllocateStatus.ALLOCATED) return { products: [], reply: ok(requestId, type) };
  if (existing.status === AllocateStatus.REJECTED) return { products: [], reply: fail(requestId, type, 'The reservation was rejected') };
  return {
    allocation: { ...existing, status: AllocateStatus.ALLOCATED, updatedAt: now },
    products: changed(existing.products, products, (p, q) => ({ ...p, reserved: p.reserved - q })),
    reply: ok(requestId, type),
  };
}

export function rejectAllocate(requestId: string, existing: Allocation | undefined, products: ReadonlyMap<string, Product>, now: string): Decision {
  const type = ProcessType.STOCK_REJECT_ALLOCATE;
  if (!existing) {
    // Rejected before the reservation arrived (messages can overtake each other): a late reserve must not hold stock.
    return {
      allocation: { requestId, status: AllocateStatus.REJECTED, products: [], reserveSucceeded: false, message: 'Rejected before any reservation', updatedAt: now },
      products: [],
      reply: ok(requestId, type),
    };
  }
  if (existing.status === AllocateStatus.REJECTED) return { products: [], reply: ok(requestId, type) };
  const giveBack =
    existing.status === AllocateStatus.PENDING
      ? (p: Product, q: number) => ({ ...p, quantity: p.quantity + q, reserved: p.reserved - q })
      : (p: Product, q: number) => ({ ...p, quantity: p.quantity + q });
  return {
    allocation: { ...existing, status: AllocateStatus.REJECTED, updatedAt: now },
    products: changed(existing.products, products, giveBack),
    reply: ok(requestId, type),
  };
}

function changed(lines: readonly AllocateProduct[], products: ReadonlyMap<string, Product>, apply: (p: Product, quantity: number) => Product): Product[] {
  return lines.filter((l) => products.has(l.productId)).map((l) => apply(products.get(l.productId)!, l.quantity));
}
