import { containersOf, type RenderedResource } from '../kustomize/resource';
import type { Problem } from '../problems';
import { isRecord } from '../yaml-docs';
import { byKind, problemAt, type Overlay } from './overlays';
import { resolvePort, templateLabels } from './pods';

/** The workloads a Service selects (same namespace, every selector label on the pod template). */
export function selectedWorkloads(overlay: Overlay, service: RenderedResource): RenderedResource[] {
  const spec = isRecord(service.object['spec']) ? service.object['spec'] : {};
  const selector = isRecord(spec['selector']) ? (spec['selector'] as Record<string, string>) : {};
  if (Object.keys(selector).length === 0) return [];
  return overlay.resources.filter(
    (r) =>
      r.object.kind === 'Deployment' &&
      (r.object.metadata.namespace ?? 'default') === (service.object.metadata.namespace ?? 'default') &&
      Object.entries(selector).every(([k, v]) => templateLabels(r)[k] === v),
  );
}

/** Every Service selects a workload, and every port it exposes leads to a container port of that workload. */
export function checkServices(overlay: Overlay): Problem[] {
  const problems: Problem[] = [];
  for (const service of byKind(overlay, 'Service')) {
    const workloads = selectedWorkloads(overlay, service);
    if (workloads.length === 0) {
      problems.push(problemAt(service, 'spec.selector', 'selects no Deployment of this overlay'));
      continue;
    }
    const spec = service.object['spec'] as Record<string, unknown>;
    (Array.isArray(spec['ports']) ? spec['ports'] : []).forEach((p, i) => {
      if (!isRecord(p)) return;
      const target = p['targetPort'] ?? p['port'];
      for (const w of workloads) {
        if (!containersOf(w.object).some(({ container }) => resolvePort(container, target) !== undefined && (typeof target !== 'number' || hasPort(container, target)))) {
          problems.push(problemAt(service, `spec.ports[${i}].targetPort`, `${String(target)} is no container port of Deployment ${w.object.metadata.name}`));
        }
      }
    });
  }
  return problems;
}

function hasPort(container: Record<string, unknown>, port: number): boolean {
  return (Array.isArray(container['ports']) ? container['ports'] : []).some((p) => isRecord(p) && p['containerPort'] === port);
}
