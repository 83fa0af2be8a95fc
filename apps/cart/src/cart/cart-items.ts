import type { CartItem } from '@repo/contracts';

/** Cart changes as pure functions of the stored items; the service applies them under an etag. */

export function addItem(items: readonly CartItem[], productId: string, quantity: number): CartItem[] {
  const existing = items.find((i) => i.product_id === productId);
  if (!existing) return [...items, { product_id: productId, quantity }];
  return items.map((i) => (i.product_id === productId ? { ...i, quantity: i.quantity + quantity } : i));
}

/** Sets a line's quantity; 0 removes the line. */
export function setQuantity(items: readonly CartItem[], productId: string, quantity: number): CartItem[] {
  if (quantity === 0) return removeItem(items, productId);
  if (!items.some((i) => i.product_id === productId)) return [...items, { product_id: productId, quantity }];
  return items.map((i) => (i.product_id === productId ? { ...i, quantity } : i));
}

export function removeItem(items: readonly CartItem[], productId: string): CartItem[] {
  return items.filter((i) => i.product_id !== productId);
}

/** Reads what the store holds for a cart: the article stores a list of `{product_id, quantity}`. */
export function asItems(value: unknown): CartItem[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((v): v is { product_id: unknown; quantity: unknown } => typeof v === 'object' && v !== null && 'product_id' in v)
    .map((v) => ({ product_id: String(v.product_id), quantity: Number(v.quantity) }));
}
