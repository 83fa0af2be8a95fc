import { readBody, sendJson, sendNoContent } from './http';
import type { RequestContext, Route } from './route';

/** What `/v1.0/metadata` shows; built by the sidecar from its live state on every request. */
export type MetadataSource = () => Record<string, unknown>;

const MAX_EXTENDED_VALUE_BYTES = 64 * 1024;

/** GET `/v1.0/metadata`, served from the moment the API listens (the JS SDK polls it at start-up), and PUT `/{key}`. */
export function metadataRoutes(source: MetadataSource, extended: Map<string, string>): Route[] {
  const get = ({ res }: RequestContext) => sendJson(res, 200, source());
  const put = async ({ req, res, params }: RequestContext) => {
    const value = await readBody(req, MAX_EXTENDED_VALUE_BYTES);
    extended.set(params['key']!, value.toString('utf8'));
    sendNoContent(res);
  };
  return [
    { methods: ['GET'], path: '/v1.0/metadata', handler: get },
    { methods: ['PUT'], path: '/v1.0/metadata/:key', handler: put },
  ];
}
