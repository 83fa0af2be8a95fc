import { h } from './dom.js';
import type { DemoResultView } from './views.js';

/** Each call the demo made and what came back, as it came back. */
export function renderDemo(out: HTMLElement, result: DemoResultView): void {
  out.replaceChildren(
    ...result.calls.map((call) =>
      h(
        'div',
        { class: 'demo-call', 'data-status': call.status },
        h('p', {}, h('code', {}, call.request), ` → ${call.status}${call.contentType ? ` (${call.contentType.split(';')[0]})` : ''}`),
        h('pre', {}, pretty(call.body)),
      ),
    ),
  );
}

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
