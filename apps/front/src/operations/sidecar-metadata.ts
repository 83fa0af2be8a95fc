import type { ComponentView, SubscriptionView } from '../web/views';

/** The parts of daprd's `/v1.0/metadata` answer the operations page shows. */
export interface SidecarSummary {
  runtimeVersion: string;
  components: ComponentView[];
  subscriptions: SubscriptionView[];
}

/** Reads a `/v1.0/metadata` body defensively: it comes from another process, maybe another runtime (daprd). */
export function summariseMetadata(body: unknown): SidecarSummary {
  const m = record(body);
  const components = list(m['components']).map((c) => {
    const r = record(c);
    return { name: text(r['name']), type: text(r['type']), version: text(r['version']) };
  });
  const subscriptions = list(m['subscriptions']).map((s) => {
    const r = record(s);
    // daprd lists routing rules; older answers had a single `route`.
    const routes = list(r['rules']).map((rule) => text(record(rule)['path'])).filter(Boolean);
    if (routes.length === 0 && r['route']) routes.push(text(r['route']));
    return { pubsubname: text(r['pubsubname']), topic: text(r['topic']), routes, type: text(r['type']) };
  });
  return { runtimeVersion: text(m['runtimeVersion']), components, subscriptions };
}

function record(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}
