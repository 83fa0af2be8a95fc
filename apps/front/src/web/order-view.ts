import type { Order } from '@repo/contracts';
import { h, say } from './dom.js';
import { time } from './format.js';
import { plainReason, type ProductNames } from './reasons.js';
import { outcomeOf, STATUS_TEXT } from './saga-text.js';
import type { OrderProgressView } from './views.js';

export interface OrderElements {
  section: HTMLElement;
  status: HTMLElement;
  items: HTMLElement;
  history: HTMLElement;
  notice: HTMLElement;
  outcome: HTMLElement;
}

/**
 * The order's progress: the current step (a polite live region, updated only when the step changes), what
 * happened so far, a notice while the saga waits for an app that is down, and the outcome with its reason.
 */
export function renderOrder(els: OrderElements, view: OrderProgressView, names: ProductNames): void {
  const { order } = view;
  els.section.hidden = false;
  const step = `Order ${shortId(order)}: ${STATUS_TEXT[order.status] ?? order.status}${view.final ? '.' : '…'}`;
  if (els.status.textContent !== step) els.status.textContent = step;
  els.status.dataset['status'] = order.status;
  els.items.replaceChildren(
    ...order.items.map((i) => h('li', {}, `${i.quantity} × ${names.name(i.productId)}`, h('span', { class: 'muted' }, ` ${names.money(i.price * i.quantity)}`))),
    h('li', { class: 'order-total' }, `Total ${names.money(order.totalPrice)}`),
  );
  els.history.replaceChildren(
    ...order.history.map((entry) =>
      h('li', { 'data-status': entry.status }, h('time', { datetime: entry.at }, time(entry.at)), ' ', STATUS_TEXT[entry.status] ?? entry.status),
    ),
  );
  say(els.notice, view.notice ?? '', 'error');
  const outcome = outcomeOf(order.status, plainReason(order.message ?? lastMessage(order), names));
  if (!outcome) return void els.outcome.replaceChildren();
  els.outcome.dataset['tone'] = outcome.tone;
  els.outcome.replaceChildren(h('p', { class: 'title' }, outcome.title), h('p', {}, outcome.detail));
}

function shortId(order: Order): string {
  return order.orderId.length > 8 ? order.orderId.slice(0, 8) : order.orderId;
}

/** The reason is on the order, or on the history entry that failed. */
function lastMessage(order: Order): string | undefined {
  return [...order.history].reverse().find((e) => e.message)?.message;
}
