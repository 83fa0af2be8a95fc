import type { AppChannel } from '../app-channel';
import { errorMessage } from '../errors';
import type { CloudEvent } from './cloudevents';
import { RetriableError } from './retry';

/** What the app's answer means: ack, or drop (to the dead-letter topic when set). Retriable failures throw. */
export type AppVerdict = 'success' | 'drop';

export interface AppPost {
  path: string;
  body: Buffer;
  headers: Record<string, string>;
  signal: AbortSignal;
}

/**
 * Sends one event to the app and reads its answer as daprd's HTTP postman does:
 * 2xx with an empty, non-JSON or status-less body, or `SUCCESS` → success; `DROP` → drop; 404 → drop;
 * `RETRY`, any other status string, any other HTTP status, or no connection → RetriableError.
 */
export async function postEvent(channel: AppChannel, post: AppPost): Promise<AppVerdict> {
  const { statusCode, text } = await send(channel, post);
  if (statusCode >= 200 && statusCode <= 299) {
    const status = statusOf(text);
    if (status === undefined || status === '' || status === 'SUCCESS') return 'success';
    if (status === 'DROP') return 'drop';
    if (status === 'RETRY') throw new RetriableError('RETRY status returned from app while processing pub/sub event');
    throw new RetriableError(`unknown status returned from app while processing pub/sub event, status: ${status}`);
  }
  if (statusCode === 404) return 'drop';
  throw new RetriableError(`retriable error returned from app while processing pub/sub event, body: ${text.slice(0, 200)}. status code returned: ${statusCode}`, statusCode);
}

/** One POST on the app channel; a failure to get an answer is retriable. */
export async function send(channel: AppChannel, post: AppPost): Promise<{ statusCode: number; text: string }> {
  try {
    const res = await channel.pool.request({ method: 'POST', path: post.path, headers: post.headers, body: post.body, signal: post.signal });
    return { statusCode: res.statusCode, text: await res.body.text() };
  } catch (err) {
    throw new RetriableError(`error returned from app channel while sending pub/sub event to app: ${errorMessage(err)}`);
  }
}

/** `{"status": "..."}` of a 2xx answer; anything Go's decoder would not read as that is undefined (success). */
function statusOf(text: string): string | undefined {
  if (text === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const status = (parsed as Record<string, unknown>)['status'];
    return typeof status === 'string' ? status : undefined;
  } catch {
    return undefined;
  }
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Headers the sidecar sets itself or that would break the request if a broker's metadata carried them. */
const RESERVED = new Set(['content-type', 'content-length', 'transfer-encoding', 'connection', 'host', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'dapr-api-token', 'traceparent', 'tracestate']);

/**
 * The headers of a delivery: every message-metadata entry (so `pubsubname` and, for the in-memory broker, the
 * publisher's `metadata.*` values), the trace context from the event, the content type, and the app token.
 */
export function deliveryHeaders(channel: AppChannel, metadata: Record<string, string>, event: CloudEvent | undefined, contentType: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(metadata)) {
    if (TOKEN.test(name) && FIELD_VALUE.test(value) && !RESERVED.has(name.toLowerCase())) headers[name] = value;
  }
  headers['content-type'] = contentType;
  const traceparent = event?.['traceparent'] ?? event?.['traceid'];
  if (typeof traceparent === 'string' && traceparent !== '' && FIELD_VALUE.test(traceparent)) headers['traceparent'] = traceparent;
  const tracestate = event?.['tracestate'];
  if (typeof tracestate === 'string' && tracestate !== '' && FIELD_VALUE.test(tracestate)) headers['tracestate'] = tracestate;
  return channel.stampToken(headers) as Record<string, string>;
}
