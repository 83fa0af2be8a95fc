import type { DaprError } from '../errors';
import { CLOUDEVENT_CONTENT_TYPE, isContentType } from './cloudevents';
import { pubsubError } from './errors';

export interface BulkPublishItem {
  entryId: string;
  contentType: string;
  metadata: Record<string, string>;
  /** The entry's event as bytes, decoded the way its content type says. */
  bytes: Buffer;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Reads a bulk publish body `[{entryId, event, contentType, metadata}]` as daprd's Go decoder does: field names
 * in any case (the JS SDK sends `entryID`), strings where Go wants strings, and each event turned into bytes
 * by its content type. Every problem is a 400 ERR_PUBSUB_EVENTS_SER.
 */
export function parseBulkEntries(body: Buffer, pubsub: string, topic: string, appId: string): BulkPublishItem[] {
  const unmarshalError = (detail: string) =>
    pubsubError(400, 'ERR_PUBSUB_EVENTS_SER', 'UNMARSHAL_EVENTS', `error when unmarshaling the request for topic ${topic} pubsub ${pubsub}: ${detail}`, pubsub, appId);
  const marshalError = (detail: string) =>
    pubsubError(400, 'ERR_PUBSUB_EVENTS_SER', 'MARSHAL_EVENTS', `error marshaling events to bytes for topic ${topic} pubsub ${pubsub}. error: ${detail}`, pubsub, appId);

  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw unmarshalError((err as Error).message);
  }
  if (parsed === null) return [];
  if (!Array.isArray(parsed)) throw unmarshalError('the body must be a JSON array of entries');

  const seen = new Set<string>();
  return parsed.map((raw, i) => {
    const item = fieldsOf(raw, i, unmarshalError);
    const bytes = eventBytes(item.event, item.contentType, marshalError);
    if (item.entryId === '' || seen.has(item.entryId)) throw marshalError('entryId is duplicated or not present for entry');
    seen.add(item.entryId);
    return { entryId: item.entryId, contentType: item.contentType, metadata: item.metadata, bytes };
  });
}

function fieldsOf(raw: unknown, index: number, fail: (detail: string) => DaprError) {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw fail(`entry ${index} is not an object`);
  const item = { entryId: '', event: undefined as unknown, contentType: '', metadata: {} as Record<string, string> };
  for (const [key, value] of Object.entries(raw)) {
    switch (key.toLowerCase()) {
      case 'entryid':
        item.entryId = stringField(value, `entry ${index}: entryId`, fail);
        break;
      case 'event':
        item.event = value;
        break;
      case 'contenttype':
        item.contentType = stringField(value, `entry ${index}: contentType`, fail);
        break;
      case 'metadata':
        item.metadata = metadataField(value, index, fail);
        break;
    }
  }
  return item;
}

function stringField(value: unknown, what: string, fail: (detail: string) => DaprError): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') throw fail(`${what} must be a string`);
  return value;
}

function metadataField(value: unknown, index: number, fail: (detail: string) => DaprError): Record<string, string> {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw fail(`entry ${index}: metadata must be an object of strings`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw fail(`entry ${index}: metadata.${k} must be a string`);
    out[k] = v;
  }
  return out;
}

/** daprd's ConvertEventToBytes: base64 for octet-stream, a string for text, any JSON for JSON and CloudEvents. */
function eventBytes(event: unknown, contentType: string, fail: (detail: string) => DaprError): Buffer {
  const mismatch = 'mismatch between contentType and event';
  if (isContentType(contentType, 'application/octet-stream')) {
    if (typeof event !== 'string') throw fail(mismatch);
    if (!BASE64.test(event)) throw fail('unable to decode base64 application/octet-stream data');
    return Buffer.from(event, 'base64');
  }
  if (contentType.toLowerCase().startsWith('text/') || isContentType(contentType, 'application/xml')) {
    if (typeof event !== 'string') throw fail(mismatch);
    return Buffer.from(event, 'utf8');
  }
  if (isContentType(contentType, 'application/json') || isContentType(contentType, CLOUDEVENT_CONTENT_TYPE)) {
    return Buffer.from(JSON.stringify(event ?? null), 'utf8');
  }
  throw fail(mismatch);
}
