import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { AppChannel } from '../app-channel';
import { DaprError, errorMessage } from '../errors';
import { forwardableRequestHeaders } from './headers';
import { normaliseMethodPath, parseTargetAppId } from './method-path';
import { forward, type PoolCache } from './proxy';
import type { NameResolver } from './resolver';

export interface InvokerDeps {
  appId: string;
  namespace?: string;
  resolver: NameResolver;
  pools: PoolCache;
  appChannel?: AppChannel;
  maxBodyBytes: number;
  logger: Logger;
}

export const CALLER_APP_ID = 'dapr-caller-app-id';
export const CALLEE_APP_ID = 'dapr-callee-app-id';
export const CALLER_NAMESPACE = 'dapr-caller-namespace';
/** What the caller's sidecar stamps and the callee's passes on to its app. */
const PEER_STAMPED = [CALLER_APP_ID, CALLEE_APP_ID, CALLER_NAMESPACE];

/**
 * Service invocation, caller side: app → this sidecar → the callee's sidecar (or straight to the own app for
 * self-invocation). Returns once the response has been streamed back.
 */
export class Invoker {
  constructor(private readonly deps: InvokerDeps) {}

  async invoke(req: IncomingMessage, res: ServerResponse, target: string, rawMethod: string, rawQuery: string): Promise<void> {
    const { appId, namespace } = parseTargetAppId(target, this.deps.namespace);
    const path = normaliseMethodPath(rawMethod, target) + rawQuery;
    const headers = forwardableRequestHeaders(req.headers);
    headers[CALLER_APP_ID] = this.deps.appId;
    headers[CALLEE_APP_ID] = appId;
    if (this.deps.namespace) headers[CALLER_NAMESPACE] = this.deps.namespace;

    if (appId === this.deps.appId && namespace === this.deps.namespace) {
      return this.toOwnApp(req, res, path, headers);
    }
    const origin = await this.deps.resolver.resolve(appId, namespace);
    if (!origin) throw failed(target, `couldn't find service: ${appId}`);
    try {
      await forward({ req, res, dispatcher: this.deps.pools.get(origin), path, headers, maxBodyBytes: this.deps.maxBodyBytes });
    } catch (err) {
      if (err instanceof DaprError) throw err;
      this.deps.resolver.invalidate?.(appId, namespace);
      throw failed(target, errorMessage(err));
    }
  }

  /** Callee side: a peer sidecar's request for this app, with the caller ids it stamped. */
  async fromPeer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const callee = req.headers[CALLEE_APP_ID];
    if (callee !== this.deps.appId) {
      throw failed(String(callee), `this sidecar serves ${this.deps.appId}, not ${String(callee)}`);
    }
    const headers = forwardableRequestHeaders(req.headers);
    for (const name of PEER_STAMPED) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    // A well-behaved peer sent a normalised path, which normalising again leaves as it is; anything else that
    // reached the internal port (it needs no API token) gets the same checks as the public API.
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = normaliseMethodPath(q >= 0 ? url.slice(1, q) : url.slice(1), this.deps.appId);
    await this.toOwnApp(req, res, path + (q >= 0 ? url.slice(q) : ''), headers);
  }

  private async toOwnApp(req: IncomingMessage, res: ServerResponse, path: string, headers: Record<string, string | string[]>): Promise<void> {
    const channel = this.deps.appChannel;
    if (!channel) throw failed(this.deps.appId, 'app channel is not initialized (the sidecar was started without --app-port)');
    try {
      await forward({ req, res, dispatcher: channel.pool, path, headers: channel.stampToken(headers), maxBodyBytes: this.deps.maxBodyBytes });
    } catch (err) {
      if (err instanceof DaprError) throw err;
      throw failed(this.deps.appId, `app channel: ${errorMessage(err)}`);
    }
  }
}

function failed(target: string, cause: string): DaprError {
  return new DaprError(500, 'ERR_DIRECT_INVOKE', `failed to invoke, id: ${target}, err: ${cause}`);
}
