import type { Order } from '@repo/contracts';
import { h } from './dom.js';
import { money, plural, time } from './format.js';
import { STATUS_TEXT } from './saga-text.js';

/**
 * The last orders, newest first, each with its state history (the saga, step by step). A refresh keeps the
 * histories the reader opened; on the first showing, the newest one is open.
 */
export function renderOrders(list: HTMLElement, orders: Order[]): void {
  if (orders.length === 0) return void list.replaceChildren(h('li', { class: 'empty' }, 'No orders yet.'));
  const firstShowing = list.querySelector('li[data-order-id]') === null;
  const opened = new Set([...list.querySelectorAll<HTMLLIElement>('li[data-order-id]:has(details[open])')].map((li) => li.dataset['orderId']));
  list.replaceChildren(...orders.map((o, i) => orderCard(o, firstShowing ? i === 0 : opened.has(o.orderId))));
}

function orderCard(o: Order, open: boolean): HTMLLIElement {
  return h(
    'li',
    { class: 'order-card', 'data-order-id': o.orderId, 'data-status': o.status },
    h('p', { class: 'order-line' }, h('code', {}, o.orderId), ` · ${o.userId} · ${plural(o.items.reduce((n, i) => n + i.quantity, 0), 'item')} · ${money(o.totalPrice)}`),
    h('p', {}, h('strong', {}, o.status), o.message ? ` — ${o.message}` : ''),
    h(
      'details',
      { open },
      h('summary', {}, `State history (${plural(o.history.length, 'step')})`),
      h(
        'ol',
        { class: 'history' },
        ...o.history.map((e) => h('li', {}, h('time', { datetime: e.at }, time(e.at)), ' ', h('code', {}, e.status), ` ${STATUS_TEXT[e.status] ?? ''}`, e.message ? ` — ${e.message}` : '')),
      ),
    ),
  );
}
