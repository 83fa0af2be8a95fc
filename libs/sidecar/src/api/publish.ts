import type { IncomingMessage } from 'node:http';
import { DaprError } from '../errors';
import { parseBulkEntries } from '../messaging/bulk-publish';
import { buildEnvelope, CloudEventParseError, CLOUDEVENT_CONTENT_TYPE, parseGoBool } from '../messaging/cloudevents';
import { pubsubError } from '../messaging/errors';
import type { BulkEntry, Publisher, PubSubTarget } from '../messaging/publisher';
import { childTraceparent } from '../messaging/trace-context';
import { metadataFromQuery, readBody, sendNoContent } from './http';
import type { RequestContext, Route } from './route';

export interface PublishApiDeps {
  publisher: Publisher;
  maxBodyBytes: number;
}

/** `/v1.0/publish/{pubsub}/{topic...}` and bulk publish, with daprd's checks in daprd's order. */
export function publishRoutes(deps: PublishApiDeps): Route[] {
  const { publisher } = deps;
  const appId = publisher.appId;

  const resolve = (params: RequestContext['params']): { target: PubSubTarget; topic: string } => {
    const name = params['pubsubname'] ?? '';
    if (name === '') throw pubsubError(404, 'ERR_PUBSUB_EMPTY', 'NAME_EMPTY', 'pubsub name is empty', name, appId);
    const target = publisher.target(name);
    const topic = params['*'] ?? '';
    if (topic === '') throw pubsubError(404, 'ERR_TOPIC_NAME_EMPTY', 'TOPICNAME_EMPTY', `topic is empty in pubsub ${name}`, name, appId);
    return { target, topic };
  };

  const publish = async ({ req, res, params, query }: RequestContext) => {
    const { target, topic } = resolve(params);
    const body = await readBody(req, deps.maxBodyBytes);
    const contentType = req.headers['content-type'];
    const metadata = metadataFromQuery(query);
    let data = body;
    if (!rawPayloadOf(metadata, target.name, appId)) {
      data = envelope(req, target, topic, contentType, body, metadata, appId);
    }
    await publisher.publish(target, { topic, data, metadata, contentType: data === body ? contentType : CLOUDEVENT_CONTENT_TYPE });
    sendNoContent(res);
  };

  const publishBulk = async ({ req, res, params, query }: RequestContext) => {
    const { target, topic } = resolve(params);
    const metadata = metadataFromQuery(query);
    const raw = rawPayloadOf(metadata, target.name, appId);
    const items = parseBulkEntries(await readBody(req, deps.maxBodyBytes), target.name, topic, appId);
    const entries: BulkEntry[] = items.map((item) => {
      const entryMetadata = { ...metadata, ...item.metadata };
      if (raw) return { entryId: item.entryId, data: item.bytes, metadata: entryMetadata, contentType: item.contentType };
      // Each entry is its own event with its own span, as daprd's bulk publish does.
      const data = envelope(req, target, topic, item.contentType, item.bytes, entryMetadata, appId);
      return { entryId: item.entryId, data, metadata: entryMetadata, contentType: CLOUDEVENT_CONTENT_TYPE };
    });
    const failed = await publisher.publishAll(target, topic, entries);
    if (failed.length > 0) throw new BulkPublishError(failed);
    sendNoContent(res);
  };

  return [
    { methods: ['POST', 'PUT'], path: '/v1.0/publish/:pubsubname', handler: publish },
    { methods: ['POST', 'PUT'], path: '/v1.0/publish/:pubsubname/*', handler: publish },
    { methods: ['POST', 'PUT'], path: '/v1.0-alpha1/publish/bulk/:pubsubname/*', handler: publishBulk },
    { methods: ['POST', 'PUT'], path: '/v1.0/publish/bulk/:pubsubname/*', handler: publishBulk },
  ];
}

function envelope(
  req: IncomingMessage,
  target: PubSubTarget,
  topic: string,
  contentType: string | undefined,
  body: Buffer,
  metadata: Record<string, string>,
  appId: string,
): Buffer {
  const tracestate = req.headers['tracestate'];
  try {
    return buildEnvelope({
      source: appId,
      topic,
      pubsubname: target.name,
      contentType,
      body,
      traceparent: childTraceparent(header(req.headers['traceparent'])),
      tracestate: header(tracestate) ?? '',
      metadata,
      brokerHandlesTtl: target.brokerHandlesTtl,
    });
  } catch (err) {
    if (!(err instanceof CloudEventParseError)) throw err;
    throw pubsubError(500, 'ERR_PUBSUB_CLOUD_EVENTS_SER', 'CLOUD_EVENT_CREATION', `cannot create cloudevent: ${err.message}`, target.name, appId);
  }
}

/** `metadata.rawPayload`: a Go boolean, or 400 ERR_PUBSUB_REQUEST_METADATA. */
function rawPayloadOf(metadata: Record<string, string>, pubsub: string, appId: string): boolean {
  const value = metadata['rawPayload'];
  if (value === undefined || value === '') return false;
  const parsed = parseGoBool(value);
  if (parsed === undefined) {
    const message = `failed deserializing metadata. Error: rawPayload value must be a valid boolean: actual is '${value}'`;
    throw pubsubError(400, 'ERR_PUBSUB_REQUEST_METADATA', 'METADATA_DESERIALIZATION', message, pubsub, appId);
  }
  return parsed;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A bulk publish that partly failed: daprd's body names the failed entries instead of a message. */
class BulkPublishError extends DaprError {
  constructor(private readonly failedEntries: { entryId: string; error: string }[]) {
    super(500, 'ERR_PUBSUB_PUBLISH_MESSAGE', `${failedEntries.length} entries failed to publish`);
  }

  override toJSON(): Record<string, unknown> {
    return { failedEntries: this.failedEntries, errorCode: this.errorCode };
  }
}
