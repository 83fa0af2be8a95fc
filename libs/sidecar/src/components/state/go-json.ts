/**
 * Serialises a decoded JSON value the way daprd stores it (Go's encoding/json of a generic value): object keys
 * sorted, and `<`, `>`, `&`, U+2028, U+2029 escaped. Byte-for-byte the same text means an app on daprd and an
 * app on this sidecar can share one store.
 */
export function goJson(value: unknown): string {
  return escapeHtml(JSON.stringify(value, sortKeys) ?? 'null');
}

function sortKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) sorted[k] = (value as Record<string, unknown>)[k];
  return sorted;
}

const HTML_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

function escapeHtml(text: string): string {
  return /[<>&\u2028\u2029]/.test(text) ? text.replace(/[<>&\u2028\u2029]/g, (c) => HTML_ESCAPES[c]!) : text;
}
