import type { Product } from '@repo/contracts';
import { h, hidden } from './dom.js';
import { money } from './format.js';

export type AddToCart = (productId: string, quantity: number) => void;

/**
 * The product list. Rendering again updates the existing entries in place (stock levels change after every
 * order), so a quantity being typed and the keyboard focus survive a refresh.
 */
export function renderProducts(list: HTMLElement, products: Product[], onAdd: AddToCart): void {
  const existing = new Map([...list.querySelectorAll<HTMLLIElement>('li[data-product-id]')].map((li) => [li.dataset['productId']!, li]));
  const items = products.map((p) => {
    const li = existing.get(p.productId) ?? productItem(p, onAdd);
    li.querySelector('.stock')!.replaceChildren(stockText(p));
    return li;
  });
  list.replaceChildren(...items);
}

function productItem(p: Product, onAdd: AddToCart): HTMLLIElement {
  const qtyId = `qty-${p.productId}`;
  const qty = h('input', { id: qtyId, name: 'quantity', type: 'number', min: 1, max: 999, value: 1, inputmode: 'numeric', required: true });
  const form = h(
    'form',
    {
      class: 'add-form',
      onsubmit: (e) => {
        e.preventDefault();
        if (qty.reportValidity()) onAdd(p.productId, Number(qty.value));
      },
    },
    h('label', { for: qtyId }, 'Quantity', hidden(` of ${p.name}`)),
    qty,
    // The visible words come first in the name (WCAG 2.5.3), then which product it is for.
    h('button', { type: 'submit', 'aria-label': `Add to cart: ${p.name}` }, 'Add to cart'),
  );
  return h(
    'li',
    { class: 'product', 'data-product-id': p.productId },
    h('h3', {}, p.name),
    h('p', { class: 'price' }, money(p.price)),
    h('p', { class: 'stock' }),
    form,
  );
}

function stockText(p: Product): string {
  const held = p.reserved > 0 ? ` (${p.reserved} held for orders in progress)` : '';
  return p.quantity > 0 ? `${p.quantity} in stock${held}` : `Out of stock${held}`;
}
