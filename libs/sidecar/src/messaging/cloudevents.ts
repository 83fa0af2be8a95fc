import { randomUUID } from 'node:crypto';

/**
 * daprd's CloudEvents 1.0 envelope, built by hand rather than with the `cloudevents` package: that library
 * rewrites `time` to UTC milliseconds (daprd writes RFC 3339 seconds with the local offset), invents an `id`
 * for pass-through events (daprd does not), refuses extension names daprd passes along, and validates every
 * event with ajv, which the publish path cannot afford. Top-level keys come out in Go's (sorted) order.
 */

export const CLOUDEVENT_CONTENT_TYPE = 'application/cloudevents+json';
const DEFAULT_TYPE = 'com.dapr.event.sent';
const DEFAULT_SOURCE = 'Dapr';
const DEFAULT_DATA_CONTENT_TYPE = 'text/plain';

export type CloudEvent = Record<string, unknown>;

export interface EnvelopeRequest {
  /** The publisher's app id. */
  source: string;
  topic: string;
  pubsubname: string;
  /** The request's Content-Type; `text/plain` when absent. */
  contentType: string | undefined;
  body: Buffer;
  traceparent: string;
  tracestate: string;
  /** The publish metadata: `ttlInSeconds` and the `cloudevent.*` overrides are read from it. */
  metadata: Record<string, string>;
  /** The broker expires messages itself (feature MESSAGE_TTL), so no `expiration` is written. */
  brokerHandlesTtl: boolean;
}

/** A `application/cloudevents+json` body that is not a JSON object: daprd answers 500 ERR_PUBSUB_CLOUD_EVENTS_SER. */
export class CloudEventParseError extends Error {}

/** The bytes daprd puts on the broker for a publish that is not `rawPayload`. */
export function buildEnvelope(req: EnvelopeRequest): Buffer {
  const ttl = ttlSeconds(req.metadata);
  const expiration = ttl !== undefined && !req.brokerHandlesTtl ? rfc3339(new Date(Date.now() + ttl * 1000), true) : undefined;
  if (isContentType(req.contentType, CLOUDEVENT_CONTENT_TYPE)) return passThrough(req, expiration);

  const contentType = req.contentType || DEFAULT_DATA_CONTENT_TYPE;
  const o = overrides(req.metadata);
  const traceparent = o.traceparent ?? o.traceid ?? req.traceparent;
  const attributes: CloudEvent = { datacontenttype: contentType };
  if (expiration) attributes['expiration'] = expiration;
  attributes['id'] = o.id || randomUUID();
  attributes['pubsubname'] = req.pubsubname;
  attributes['source'] = o.source || req.source || DEFAULT_SOURCE;
  attributes['specversion'] = '1.0';
  if (o.subject) attributes['subject'] = o.subject;
  attributes['time'] = now();
  attributes['topic'] = req.topic;
  attributes['traceid'] = traceparent;
  attributes['traceparent'] = traceparent;
  attributes['tracestate'] = o.tracestate ?? req.tracestate;
  attributes['type'] = o.type || DEFAULT_TYPE;
  const rest = JSON.stringify(attributes).slice(1);
  return Buffer.from(`${dataMember(contentType, req.body)},${rest}`, 'utf8');
}

/** `"data":<json>` for application/json, `"data_base64":"..."` for octet-stream, a JSON string otherwise. */
function dataMember(contentType: string, body: Buffer): string {
  if (isContentType(contentType, 'application/json')) {
    const text = body.toString('utf8');
    // Valid JSON goes in verbatim, which keeps numbers beyond 2^53 exact as daprd's UseNumber decoding does.
    if (isJson(text)) return `{"data":${text}`;
    return `{"data":${JSON.stringify(text)}`;
  }
  if (isContentType(contentType, 'application/octet-stream')) return `{"data_base64":"${body.toString('base64')}"`;
  return `{"data":${JSON.stringify(body.toString('utf8'))}`;
}

function passThrough(req: EnvelopeRequest, expiration: string | undefined): Buffer {
  let event: unknown;
  try {
    event = JSON.parse(req.body.toString('utf8'));
  } catch (err) {
    throw new CloudEventParseError((err as Error).message);
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) throw new CloudEventParseError('the event is not a JSON object');
  const e = event as CloudEvent;
  if (e['traceid'] === undefined) {
    e['traceid'] = req.traceparent;
    e['traceparent'] = req.traceparent;
  }
  if (e['tracestate'] === undefined) e['tracestate'] = req.tracestate;
  if (e['time'] === undefined) e['time'] = now();
  e['topic'] = req.topic;
  e['pubsubname'] = req.pubsubname;
  e['source'] ??= DEFAULT_SOURCE;
  e['type'] ??= DEFAULT_TYPE;
  e['specversion'] ??= '1.0';
  if (expiration) e['expiration'] = expiration;
  return Buffer.from(JSON.stringify(e), 'utf8');
}

/**
 * What a `rawPayload` subscription's app receives: daprd wraps the bytes in a fresh event with `data_base64`,
 * taking the trace fields from the message metadata.
 */
export function wrapRawPayload(data: Buffer, topic: string, pubsubname: string, metadata: Record<string, string>): CloudEvent {
  const event: CloudEvent = {
    data_base64: data.toString('base64'),
    datacontenttype: 'application/octet-stream',
    id: randomUUID(),
    pubsubname,
    source: DEFAULT_SOURCE,
    specversion: '1.0',
    topic,
    type: DEFAULT_TYPE,
  };
  if (metadata['traceid'] !== undefined) event['traceid'] = metadata['traceid'];
  if (metadata['traceparent'] !== undefined) {
    event['traceparent'] = metadata['traceparent'];
    event['traceid'] = metadata['traceparent'];
  }
  if (metadata['tracestate'] !== undefined) event['tracestate'] = metadata['tracestate'];
  return event;
}

/** Reads a delivered message as an event; a message that is not a JSON object is an error, as in daprd. */
export function parseCloudEvent(data: Buffer): CloudEvent {
  const event: unknown = JSON.parse(data.toString('utf8'));
  if (typeof event !== 'object' || event === null || Array.isArray(event)) throw new Error('the message is not a JSON object');
  return event as CloudEvent;
}

/** daprd drops events whose `expiration` (RFC 3339) has passed; an unreadable one never expires. */
export function hasExpired(event: CloudEvent, now = Date.now()): boolean {
  const expiration = event['expiration'];
  if (typeof expiration !== 'string' || expiration === '') return false;
  const at = Date.parse(expiration);
  return !Number.isNaN(at) && at < now;
}

/** Go's `strconv.ParseBool`, as daprd reads `rawPayload`. */
export function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/** `type` equals `test` ignoring case and parameters (`application/json; charset=utf-8`). */
export function isContentType(type: string | undefined, test: string): boolean {
  if (!type) return false;
  if (type === test) return true;
  const semi = type.indexOf(';');
  return (semi >= 0 ? type.slice(0, semi) : type).trim().toLowerCase() === test;
}

function ttlSeconds(metadata: Record<string, string>): number | undefined {
  const value = metadata['ttlInSeconds'];
  if (value === undefined || !/^\+?\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 ? n : undefined;
}

interface Overrides {
  id?: string;
  source?: string;
  type?: string;
  subject?: string;
  traceid?: string;
  traceparent?: string;
  tracestate?: string;
}

/** `metadata.cloudevent.<field>` overrides, matched case-insensitively as daprd's weak decoding does. */
function overrides(metadata: Record<string, string>): Overrides {
  const out: Overrides = {};
  for (const key in metadata) {
    if (key.length < 12 || key.slice(0, 11).toLowerCase() !== 'cloudevent.') continue;
    const field = key.slice(11).toLowerCase();
    if (field === 'id' || field === 'source' || field === 'type' || field === 'subject' || field === 'traceid' || field === 'traceparent' || field === 'tracestate') {
      out[field] = metadata[key];
    }
  }
  return out;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

let cachedSecond = -1;
let cachedTime = '';

/** The current time as daprd writes `time`; it only changes once a second, so it is formatted once a second. */
function now(): string {
  const ms = Date.now();
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedTime = rfc3339(new Date(ms), false);
  }
  return cachedTime;
}

/** Go's time.RFC3339: seconds, and the local offset (`Z` in UTC) unless `utc` is asked for. */
export function rfc3339(d: Date, utc: boolean): string {
  const offsetMinutes = utc ? 0 : -d.getTimezoneOffset();
  const base = new Date(d.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
  if (offsetMinutes === 0) return `${base}Z`;
  const abs = Math.abs(offsetMinutes);
  return `${base}${offsetMinutes > 0 ? '+' : '-'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
