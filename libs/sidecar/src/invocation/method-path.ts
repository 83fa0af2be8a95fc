import { DaprError } from '../errors';

/**
 * Turns the raw (still percent-encoded) method part of an invocation URL into the one canonical path that is
 * forwarded to the app, or refuses it. It is decoded exactly once; after decoding, control characters, `#`, `?`,
 * `\` and dot segments are refused, so `public%2F..%2Fadmin`, `public%23/../admin` and `%2e%2e/admin` cannot
 * reach a path other than the one they name. Each segment is encoded again for the wire.
 */
export function normaliseMethodPath(raw: string, appId: string): string {
  const known = NORMALISED.get(raw);
  if (known !== undefined) return known;
  const path = normalise(raw, appId);
  remember(NORMALISED, raw, path);
  return path;
}

/**
 * An app calls a handful of methods over and over, so each raw path is normalised once and remembered (only
 * accepted ones; refused ones are checked, and refused, every time). Bounded: a flood of distinct paths only
 * empties the cache.
 */
const NORMALISED = new Map<string, string>();
const TARGETS = new Map<string, { appId: string; namespace?: string }>();
const CACHE_LIMIT = 1024;

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
}

function normalise(raw: string, appId: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw invalid(appId, 'the method path is not valid percent-encoding');
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f#?\\]/.test(decoded)) throw invalid(appId, 'the method path contains a reserved or control character');
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..')) throw invalid(appId, 'the method path may not contain . or .. segments');
  return '/' + segments.map(encodeSegment).join('/');
}

function encodeSegment(segment: string): string {
  // encodeURIComponent, but keeping the sub-delimiters and ':' '@' that RFC 3986 allows in a path segment.
  return encodeURIComponent(segment).replace(/%(21|24|26|27|28|29|2A|2B|2C|3A|3B|3D|40)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function invalid(appId: string, why: string): DaprError {
  return new DaprError(500, 'ERR_DIRECT_INVOKE', `failed to invoke, id: ${appId}, err: ${why}`);
}

/** `app` or `app.namespace`; app ids are DNS-label-like, which also keeps them safe as file and host names. */
export function parseTargetAppId(target: string, ownNamespace: string | undefined): { appId: string; namespace?: string } {
  const key = ownNamespace === undefined ? target : `${target}\n${ownNamespace}`;
  const known = TARGETS.get(key);
  if (known !== undefined) return known;
  const parsed = parseTarget(target, ownNamespace);
  remember(TARGETS, key, parsed);
  return parsed;
}

function parseTarget(target: string, ownNamespace: string | undefined): { appId: string; namespace?: string } {
  const parts = target.split('.');
  if (parts.length > 2) throw new DaprError(500, 'ERR_DIRECT_INVOKE', `failed to invoke, id: ${target}, err: invalid app id`);
  const [appId, namespace] = parts as [string, string | undefined];
  if (!APP_ID.test(appId) || (namespace !== undefined && !APP_ID.test(namespace))) {
    throw new DaprError(500, 'ERR_DIRECT_INVOKE', `failed to invoke, id: ${target}, err: invalid app id`);
  }
  return { appId, namespace: namespace ?? ownNamespace };
}

export const APP_ID = /^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$/;
