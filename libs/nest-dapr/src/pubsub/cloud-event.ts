/** The CloudEvent a sidecar delivers (daprd's envelope), as far as a subscriber reads it. */
export interface CloudEvent<T = unknown> {
  id?: string;
  source?: string;
  type?: string;
  specversion?: string;
  datacontenttype?: string;
  topic?: string;
  pubsubname?: string;
  traceparent?: string;
  data?: T;
  data_base64?: string;
  [extension: string]: unknown;
}

export interface Delivery {
  /** The payload handed to the handler: the event's `data`, decoded. */
  data: unknown;
  /** The envelope, or undefined for a raw payload (`rawPayload` subscriptions deliver the bytes as published). */
  event?: CloudEvent;
}

/**
 * Reads a delivery body: a CloudEvent's `data` (JSON as published with application/json, a string for text) or
 * its `data_base64` (octet-stream publishes, as nautible's services send them), decoded and parsed when it is JSON.
 */
export function parseDelivery(body: Buffer): Delivery {
  const text = body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { data: text };
  }
  if (!isCloudEvent(parsed)) return { data: parsed };
  if (typeof parsed.data_base64 === 'string') {
    const bytes = Buffer.from(parsed.data_base64, 'base64').toString('utf8');
    return { data: tryJson(bytes), event: parsed };
  }
  return { data: parsed.data, event: parsed };
}

function isCloudEvent(value: unknown): value is CloudEvent {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as CloudEvent).specversion === 'string';
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
