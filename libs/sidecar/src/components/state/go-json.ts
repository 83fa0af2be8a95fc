/**
 * Serialises a decoded JSON value the way daprd stores it (Go's encoding/json of a generic value): object keys
 * sorted by their UTF-8 bytes, `<`, `>`, `&`, U+2028, U+2029 escaped, lone surrogates replaced by U+FFFD and
 * `-0` kept. Byte-for-byte the same text means an app on daprd and an app on this sidecar can share one store.
 *
 * Written out by hand because `JSON.stringify` cannot sort keys that look like integers (a JS object always
 * lists `"9"` before `"10"`, where Go writes `"10"` first), and without recursion, so a deeply nested value from
 * a request body meets Go's depth limit instead of the call stack's.
 */
export function goJson(value: unknown): string {
  const open: Container[] = [];
  let out = '';
  let next: unknown = value;
  for (;;) {
    if (next !== NOTHING) {
      if (typeof next === 'object' && next !== null) {
        if (open.length >= MAX_NESTING_DEPTH) throw new NestingTooDeepError();
        open.push(Array.isArray(next) ? { items: next, i: 0, close: ']' } : { items: sortedEntries(next as Record<string, unknown>), i: 0, close: '}' });
        out += Array.isArray(next) ? '[' : '{';
      } else {
        out += encodeScalar(next);
      }
      next = NOTHING;
    }
    const top = open.at(-1);
    if (!top) return out;
    if (top.i === top.items.length) {
      out += top.close;
      open.pop();
      continue;
    }
    if (top.i > 0) out += ',';
    const item = top.items[top.i++];
    if (top.close === '}') {
      const [key, member] = item as [string, unknown];
      out += `${encodeString(key)}:`;
      next = member;
    } else {
      next = item;
    }
  }
}

/** Go's encoding/json refuses documents nested deeper than this. */
export const MAX_NESTING_DEPTH = 10_000;

export class NestingTooDeepError extends Error {
  constructor() {
    super(`exceeded max depth of ${MAX_NESTING_DEPTH}`);
    this.name = 'NestingTooDeepError';
  }
}

interface Container {
  /** Array items, or an object's `[key, value]` entries in Go's order. */
  items: unknown[];
  i: number;
  close: ']' | '}';
}

const NOTHING = Symbol('nothing');

function sortedEntries(obj: Record<string, unknown>): [string, unknown][] {
  const entries: [string, unknown][] = [];
  for (const key of Object.keys(obj)) {
    if (obj[key] !== undefined) entries.push([wellFormed(key), obj[key]]);
  }
  return entries.sort(([a], [b]) => compareUtf8(a, b));
}

function encodeScalar(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return encodeString(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return 'null';
  }
}

const HTML_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

function encodeString(s: string): string {
  const text = JSON.stringify(wellFormed(s));
  return /[<>&\u2028\u2029]/.test(text) ? text.replace(/[<>&\u2028\u2029]/g, (c) => HTML_ESCAPES[c]!) : text;
}

/** Go decodes a lone surrogate escape (`"\ud800"`) to U+FFFD, so that is what it writes back. */
function wellFormed(s: string): string {
  return /[\ud800-\udfff]/.test(s) ? s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd') : s;
}

/** Go sorts map keys by their UTF-8 bytes, i.e. by code point; UTF-16 order differs only around surrogates. */
function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return utf8Rank(x) - utf8Rank(y);
  }
  return a.length - b.length;
}

/** Surrogates stand for code points above U+FFFF, which sort after U+E000–U+FFFF in UTF-8. */
function utf8Rank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}
