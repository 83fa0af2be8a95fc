import type { CartConflict, CartView, Order, Product } from '@repo/contracts';
import { api, FrontUnreachable, isNotAnswering, problemOf, type ApiAnswer } from './api.js';
import { renderCart } from './cart-view.js';
import { byId, say } from './dom.js';
import { money } from './format.js';
import { renderOrder, type OrderElements } from './order-view.js';
import { renderProducts } from './products-view.js';
import { currentShopper, switchShopper } from './shopper.js';
import type { OrderProgressView } from './views.js';

/** The storefront: products with stock, the shopper's cart, checkout, and the order followed live to its end. */

const POLL_MS = 1000;
const RETRY_MS = 3000;
const LAST_ORDER_KEY = 'dapr-shop.last-order';

const shopper = currentShopper();
let products = new Map<string, Product>();
let cart: CartView | undefined;
let tracking: string | undefined;
let checkingOut = false;

const els = {
  shopper: byId<HTMLInputElement>('shopper'),
  shopperForm: byId<HTMLFormElement>('shopper-form'),
  products: byId('products'),
  productsMessage: byId('products-message'),
  cart: byId('cart'),
  cartLines: byId('cart-lines'),
  cartTotal: byId('cart-total'),
  cartMessage: byId('cart-message'),
  checkout: byId<HTMLButtonElement>('checkout'),
};
const order: OrderElements = {
  section: byId('order'),
  status: byId('order-status'),
  items: byId('order-items'),
  history: byId('order-history'),
  notice: byId('order-notice'),
  outcome: byId('order-outcome'),
};
const names = { name: (id: string) => products.get(id)?.name ?? `product ${id}`, money };

els.shopper.value = shopper;
els.shopperForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const id = els.shopper.value.trim();
  if (id && id !== shopper) switchShopper(id);
});
els.checkout.addEventListener('click', () => void checkout());

void loadProducts().then(() => loadCart());
const resume = sessionStorage.getItem(LAST_ORDER_KEY);
if (resume) void track(resume);

async function loadProducts(): Promise<void> {
  const answer = await guarded(() => api<Product[]>('/api/products'), els.productsMessage);
  if (!answer) return retryLater(loadProducts);
  if (!answer.ok) {
    say(els.productsMessage, isNotAnswering(answer) ? `${problemOf(answer)} Products will appear when it is back.` : problemOf(answer), 'error');
    if (isNotAnswering(answer)) retryLater(loadProducts);
    return;
  }
  say(els.productsMessage, '');
  products = new Map(answer.body.map((p) => [p.productId, p]));
  renderProducts(els.products, answer.body, (id, qty) => void changeCart('POST', '/api/cart/items', { productId: id, quantity: qty }));
  if (cart) showCart(cart);
}

async function loadCart(): Promise<void> {
  const answer = await guarded(() => api<CartView>('/api/cart', { shopper }), els.cartMessage);
  if (!answer) return retryLater(loadCart);
  if (!answer.ok) {
    say(els.cartMessage, isNotAnswering(answer) ? `${problemOf(answer)} Your cart will appear when it is back.` : problemOf(answer), 'error');
    if (isNotAnswering(answer)) retryLater(loadCart);
    return;
  }
  say(els.cartMessage, '');
  showCart(answer.body);
}

/** Every change carries the etag of the cart on screen; a 409 means another tab changed it first. */
function changeCart(method: string, path: string, body?: unknown): Promise<void> {
  return serially(async () => {
    const answer = await guarded(() => api<CartView | CartConflict>(path, { method, body, shopper, ifMatch: cart?.etag }), els.cartMessage);
    if (!answer) return;
    if (answer.status === 409) {
      showCart((answer.body as CartConflict).cart);
      say(els.cartMessage, 'Your cart was changed in another tab or window, so this change was not made. The cart now shows its latest contents: check it and try again.', 'error');
      return;
    }
    if (!answer.ok) {
      say(els.cartMessage, isNotAnswering(answer) ? `${problemOf(answer)} Your change was not saved; try again when it is back.` : problemOf(answer), 'error');
      return;
    }
    showCart(answer.body as CartView);
    say(els.cartMessage, 'Cart updated.', 'success');
  });
}

function showCart(next: CartView): void {
  cart = next;
  renderCart(els.cartLines, els.cartTotal, next, products, {
    setQuantity: (id, qty) => void changeCart('PUT', `/api/cart/items/${encodeURIComponent(id)}`, { quantity: qty }),
    remove: (id) => void changeCart('DELETE', `/api/cart/items/${encodeURIComponent(id)}`),
  });
  els.checkout.disabled = next.items.length === 0 || checkingOut;
}

function checkout(): Promise<void> {
  // One click, one order: the button stays disabled until the order was placed (or refused).
  checkingOut = true;
  els.checkout.disabled = true;
  return serially(async () => {
    const answer = await guarded(() => api<Order>('/api/orders', { method: 'POST', shopper }), els.cartMessage).finally(() => (checkingOut = false));
    if (!answer?.ok) {
      els.checkout.disabled = (cart?.items.length ?? 0) === 0;
      if (answer) say(els.cartMessage, isNotAnswering(answer) ? `${problemOf(answer)} Your order was not placed; try again when it is back.` : problemOf(answer), 'error');
      return;
    }
    say(els.cartMessage, '');
    sessionStorage.setItem(LAST_ORDER_KEY, answer.body.orderId);
    void loadCart();
    // The order's panel takes the focus at once, so a keyboard or screen reader user follows the order from there.
    renderOrder(order, { order: answer.body, final: false }, names);
    order.section.focus();
    void track(answer.body.orderId);
  });
}

/** Polls the order until the saga ends; a notice shows while it waits for an app that is down. */
async function track(orderId: string): Promise<void> {
  tracking = orderId;
  order.outcome.replaceChildren();
  while (tracking === orderId) {
    const answer = await guarded(() => api<OrderProgressView>(`/api/orders/${encodeURIComponent(orderId)}`), order.notice);
    if (answer?.ok) {
      renderOrder(order, answer.body, names);
      if (answer.body.final) {
        void loadProducts();
        return;
      }
    } else if (answer && isNotAnswering(answer)) {
      order.section.hidden = false;
      say(order.notice, `${problemOf(answer)} Your order will continue when it is back.`, 'error');
    } else if (answer) {
      if (answer.status === 404) sessionStorage.removeItem(LAST_ORDER_KEY);
      return say(order.notice, problemOf(answer), 'error');
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Runs a call to the front; if the front itself is unreachable, says so where the answer would have gone. */
async function guarded<T>(call: () => Promise<ApiAnswer<T>>, messageEl: HTMLElement): Promise<ApiAnswer<T> | undefined> {
  try {
    return await call();
  } catch (err) {
    say(messageEl, err instanceof FrontUnreachable ? err.message : String(err), 'error');
    return undefined;
  }
}

function retryLater(load: () => Promise<void>): void {
  setTimeout(() => void load(), RETRY_MS);
}

/**
 * Cart changes and checkout run one after another, in the order the shopper made them, so each carries the
 * etag its predecessor produced, and a checkout right after an add orders the cart with that item in it.
 */
let queue: Promise<void> = Promise.resolve();
function serially(work: () => Promise<void>): Promise<void> {
  const run = queue.then(async () => {
    els.cart.setAttribute('aria-busy', 'true');
    try {
      await work();
    } finally {
      els.cart.setAttribute('aria-busy', 'false');
    }
  });
  queue = run.catch(() => undefined);
  return run;
}
