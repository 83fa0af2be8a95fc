import { createHash } from 'node:crypto';

/**
 * The suffix kustomize appends to a generated ConfigMap's name (sigs.k8s.io/kustomize/api/hasher): the SHA-256 of
 * `{"data":…,"kind":"ConfigMap","name":…}` as Go's encoding/json writes it (sorted keys, HTML characters
 * escaped, `"data":""` when there is none), its first ten hex digits with 0 1 3 a e mapped to g h k m t.
 */
export function configMapHash(cm: { name: string; data?: Record<string, string>; binaryData?: Record<string, string> }): string {
  const encoded: Record<string, unknown> = { kind: 'ConfigMap', name: cm.name, data: cm.data ?? '' };
  if (cm.binaryData && Object.keys(cm.binaryData).length > 0) encoded['binaryData'] = cm.binaryData;
  const hex = createHash('sha256').update(goJson(encoded)).digest('hex');
  return [...hex.slice(0, 10)].map((c) => ({ '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' })[c] ?? c).join('');
}

/** JSON the way Go's json.Marshal writes a map: keys sorted, and <, >, &, U+2028, U+2029 escaped. */
function goJson(value: unknown): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${goJson(k)}:${goJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
