import type { CartView, Product } from '@repo/contracts';
import { h, hidden } from './dom.js';
import { money } from './format.js';

export interface CartActions {
  setQuantity(productId: string, quantity: number): void;
  remove(productId: string): void;
}

/** The cart's lines with a quantity field and a remove button each; the total; whether checkout makes sense. */
export function renderCart(list: HTMLElement, total: HTMLElement, cart: CartView, products: ReadonlyMap<string, Product>, actions: CartActions): void {
  // The lines are rebuilt; keyboard focus goes back to the same control (or to the cart when its line is gone).
  const focused = list.contains(document.activeElement) ? document.activeElement?.id : undefined;
  fill(list, total, cart, products, actions);
  if (focused) (document.getElementById(focused) ?? list.closest<HTMLElement>('[tabindex]'))?.focus();
}

function fill(list: HTMLElement, total: HTMLElement, cart: CartView, products: ReadonlyMap<string, Product>, actions: CartActions): void {
  if (cart.items.length === 0) {
    list.replaceChildren(h('li', { class: 'empty' }, 'Your cart is empty.'));
    total.textContent = '';
    return;
  }
  let sum = 0;
  list.replaceChildren(
    ...cart.items.map((item) => {
      const product = products.get(item.product_id);
      const name = product?.name ?? `Product ${item.product_id}`;
      const price = product?.price;
      if (price !== undefined) sum += price * item.quantity;
      const qtyId = `cart-qty-${item.product_id}`;
      const qty = h('input', { id: qtyId, name: 'quantity', type: 'number', min: 0, max: 999, value: item.quantity, inputmode: 'numeric', required: true });
      return h(
        'li',
        { class: 'cart-line', 'data-product-id': item.product_id },
        h('span', { class: 'name' }, name),
        h('span', { class: 'unit' }, price === undefined ? '' : `${money(price)} each`),
        h(
          'form',
          {
            class: 'qty-form',
            onsubmit: (e) => {
              e.preventDefault();
              if (qty.reportValidity()) actions.setQuantity(item.product_id, Number(qty.value));
            },
          },
          h('label', { for: qtyId }, 'Quantity', hidden(` of ${name} in your cart`)),
          qty,
          h('button', { type: 'submit', id: `cart-update-${item.product_id}`, 'aria-label': `Update ${name}` }, 'Update'),
        ),
        h('button', { type: 'button', id: `cart-remove-${item.product_id}`, class: 'secondary', 'aria-label': `Remove ${name}`, onclick: () => actions.remove(item.product_id) }, 'Remove'),
        h('span', { class: 'line-total' }, price === undefined ? '' : money(price * item.quantity)),
      );
    }),
  );
  total.textContent = `Total: ${money(sum)}`;
}
