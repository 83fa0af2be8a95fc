import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** Never relayed by a proxy (RFC 9110 §7.6.1), plus `host`, which the client sets for the next hop. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'proxy-authorization',
  'proxy-authenticate',
  'host',
]);

/** Headers the sidecar owns: a caller may not set them, and the API token never leaves the sidecar. */
const SIDECAR_OWNED = new Set(['dapr-api-token', 'dapr-app-id', 'dapr-caller-app-id', 'dapr-callee-app-id', 'dapr-caller-namespace']);

/** Copies request headers for the next hop, without hop-by-hop, sidecar-owned, or `Connection`-listed ones. */
export function forwardableRequestHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const listed = connectionListed(headers['connection']);
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name) || SIDECAR_OWNED.has(name) || listed?.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/** Copies a response's headers back to the caller, without hop-by-hop ones. */
export function forwardableResponseHeaders(headers: Record<string, string | string[] | undefined>): OutgoingHttpHeaders {
  const listed = connectionListed(headers['connection'] as string | undefined);
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name) || listed?.has(name)) continue;
    out[name] = value;
  }
  return out;
}

function connectionListed(connection: string | string[] | undefined): Set<string> | undefined {
  if (!connection) return undefined;
  const text = Array.isArray(connection) ? connection.join(',') : connection;
  if (text === 'keep-alive' || text === 'close') return undefined;
  return new Set(text.split(',').map((s) => s.trim().toLowerCase()));
}
