import { api, FrontUnreachable, problemOf } from './api.js';
import { renderApps } from './apps-view.js';
import { renderDemo } from './demos-view.js';
import { byId, say } from './dom.js';
import { time } from './format.js';
import { renderOrders } from './orders-view.js';
import type { AppStatusView, DemoResultView, RecentOrdersView } from './views.js';

/** The operations page: every app's health and sidecar, the last orders, and the article's demos. */

const REFRESH_MS = 5000;

const els = {
  apps: byId('apps'),
  appsMessage: byId('apps-message'),
  appsUpdated: byId('apps-updated'),
  orders: byId('orders'),
  ordersMessage: byId('orders-message'),
};

byId('refresh-apps').addEventListener('click', () => void loadApps());
byId('refresh-orders').addEventListener('click', () => void loadOrders());
for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-demo]')) {
  button.addEventListener('click', () => void runDemo(button));
}

void loadApps();
void loadOrders();
setInterval(() => void loadApps(), REFRESH_MS);
setInterval(() => void loadOrders(), REFRESH_MS);

async function loadApps(): Promise<void> {
  try {
    const answer = await api<AppStatusView[]>('/api/operations/apps');
    if (!answer.ok) return say(els.appsMessage, problemOf(answer), 'error');
    say(els.appsMessage, '');
    renderApps(els.apps, answer.body);
    const healthy = answer.body.filter((a) => a.health.state === 'healthy').length;
    els.appsUpdated.textContent = `${healthy} of ${answer.body.length} apps healthy · checked at ${time(new Date().toISOString())}`;
  } catch (err) {
    say(els.appsMessage, message(err), 'error');
  }
}

async function loadOrders(): Promise<void> {
  try {
    const answer = await api<RecentOrdersView>('/api/operations/orders?limit=10');
    if (!answer.ok) return say(els.ordersMessage, problemOf(answer), 'error');
    say(els.ordersMessage, '');
    renderOrders(els.orders, answer.body.orders);
  } catch (err) {
    say(els.ordersMessage, message(err), 'error');
  }
}

async function runDemo(button: HTMLButtonElement): Promise<void> {
  const demo = button.dataset['demo']!;
  const out = byId(`demo-${demo}`);
  // aria-disabled rather than disabled: a disabled button would drop the keyboard focus.
  if (button.getAttribute('aria-disabled') === 'true') return;
  button.setAttribute('aria-disabled', 'true');
  out.setAttribute('aria-busy', 'true');
  out.textContent = 'Calling…';
  try {
    const answer = await api<DemoResultView>(`/api/demos/${demo}`, { method: 'POST' });
    if (!answer.ok) out.textContent = problemOf(answer);
    else renderDemo(out, answer.body);
  } catch (err) {
    out.textContent = message(err);
  } finally {
    out.setAttribute('aria-busy', 'false');
    button.removeAttribute('aria-disabled');
    if (demo.startsWith('publish')) void loadOrders();
  }
}

function message(err: unknown): string {
  return err instanceof FrontUnreachable ? err.message : String(err);
}
