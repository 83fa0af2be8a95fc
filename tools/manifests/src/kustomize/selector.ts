import { effectiveNamespace, groupOf, versionOf, type KObject } from './resource';

/** A patch's `target`: every field is an anchored regular expression, as kustomize compiles them. */
export interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export function matchesSelector(o: KObject, s: Selector): boolean {
  const re = (pattern: string | undefined, value: string) => pattern === undefined || new RegExp(`^(?:${pattern})$`).test(value);
  return (
    re(s.group, groupOf(o.apiVersion)) &&
    re(s.version, versionOf(o.apiVersion)) &&
    re(s.kind, o.kind) &&
    re(s.name, o.metadata.name) &&
    (s.namespace === undefined || re(s.namespace, effectiveNamespace(o.kind, o.metadata.namespace))) &&
    (s.labelSelector === undefined || matchesLabelSelector(o.metadata.labels ?? {}, s.labelSelector)) &&
    (s.annotationSelector === undefined || matchesLabelSelector(o.metadata.annotations ?? {}, s.annotationSelector))
  );
}

/**
 * Kubernetes' label selector syntax: requirements joined by commas, each `k=v`, `k==v`, `k!=v`, `k in (a,b)`,
 * `k notin (a,b)`, `k` (exists) or `!k` (does not exist).
 */
export function matchesLabelSelector(labels: Record<string, string>, selector: string): boolean {
  return splitRequirements(selector).every((req) => {
    let m = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(req);
    if (m) return m[2] === '!=' ? labels[m[1]!] !== m[3] : labels[m[1]!] === m[3];
    m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(req);
    if (m) {
      const values = m[3]!.split(',').map((v) => v.trim());
      const has = m[1]! in labels && values.includes(labels[m[1]!]!);
      return m[2] === 'in' ? has : !has;
    }
    m = /^(!?)([\w./-]+)$/.exec(req);
    if (m) return m[1] ? !(m[2]! in labels) : m[2]! in labels;
    throw new Error(`cannot parse label selector requirement '${req}'`);
  });
}

function splitRequirements(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
