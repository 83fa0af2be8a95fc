import { h } from './dom.js';
import type { AppStatusView, HealthState } from './views.js';

const HEALTH_TEXT: Record<HealthState, string> = { healthy: 'Healthy', unhealthy: 'Unhealthy', 'not-answering': 'Not answering' };

/** One card per app: its health, then its sidecar's components and subscriptions. */
export function renderApps(list: HTMLElement, apps: AppStatusView[]): void {
  list.replaceChildren(...apps.map(appCard));
}

function appCard(app: AppStatusView): HTMLLIElement {
  const titleId = `app-${app.appId}-title`;
  return h(
    'li',
    { class: 'app', 'data-app-id': app.appId, 'data-health': app.health.state, 'aria-labelledby': titleId },
    h(
      'div',
      { class: 'app-head' },
      h('h3', { id: titleId }, app.appId),
      h('span', { class: `badge ${app.health.state}` }, HEALTH_TEXT[app.health.state]),
    ),
    h('p', { class: 'muted' }, app.health.detail),
    app.sidecar ? sidecarDetails(app) : h('p', { class: 'muted' }, `Sidecar metadata unavailable: ${app.sidecarProblem ?? 'unknown reason'}`),
  );
}

function sidecarDetails(app: AppStatusView): HTMLElement {
  const { components, subscriptions, runtimeVersion } = app.sidecar!;
  return h(
    'div',
    { class: 'sidecar' },
    h('h4', {}, 'Components'),
    components.length
      ? h('ul', { class: 'plain' }, ...components.map((c) => h('li', {}, h('code', {}, c.name), ` ${c.type}/${c.version}`)))
      : h('p', { class: 'muted' }, 'None loaded.'),
    h('h4', {}, 'Subscriptions'),
    subscriptions.length
      ? h(
          'ul',
          { class: 'plain' },
          ...subscriptions.map((s) => h('li', {}, h('code', {}, `${s.pubsubname}/${s.topic}`), ` → ${s.routes.join(', ') || '(no route)'}`, s.type ? ` (${s.type.toLowerCase()})` : '')),
        )
      : h('p', { class: 'muted' }, 'None.'),
    runtimeVersion ? h('p', { class: 'muted' }, `Sidecar runtime ${runtimeVersion}`) : null,
  );
}
