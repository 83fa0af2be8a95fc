import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import FindMyWay from 'find-my-way';
import type { Logger } from 'pino';
import { DaprError } from '../errors';
import type { Invoker } from '../invocation/invoker';
import { queryOf, sendError } from './http';
import type { Handler, Route } from './route';

export interface ApiServerOptions {
  routes: Route[];
  invoker: Invoker;
  apiToken?: string;
  /** One log line per request (`--enable-api-logging`). */
  apiLogger?: Logger;
  limits: HttpLimits;
}

export interface HttpLimits {
  /** Largest request header section, in bytes; larger gets 431 from Node before any handler runs. */
  maxHeaderBytes: number;
  /** daprd's ReadHeaderTimeout: the slowloris guard. */
  headersTimeoutMs: number;
  /** Whole request (headers and body) must arrive within this. */
  requestTimeoutMs: number;
}

const INVOKE_PREFIX = '/v1.0/invoke/';

/** The API's request handler: token check, invocation fast path, then the route table; every error in one place. */
export function createApiHandler(opts: ApiServerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const router = FindMyWay({ ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 2048 });
  for (const route of opts.routes) router.on(route.methods, route.path, () => undefined, { handler: route.handler });
  const tokenMatches = opts.apiToken ? constantTimeMatcher(opts.apiToken) : undefined;

  const dispatch = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q >= 0 ? url.slice(0, q) : url;
    const rawQuery = q >= 0 ? url.slice(q) : '';
    if (tokenMatches && !isHealthCheck(req.method, path) && !tokenMatches(req.headers['dapr-api-token'])) {
      // daprd answers with Go's http.Error: plain text, not JSON.
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('invalid api token\n');
      return;
    }
    const headerAppId = req.headers['dapr-app-id'];
    if (typeof headerAppId === 'string' && headerAppId !== '' && (path.startsWith(INVOKE_PREFIX) || !router.find(req.method as 'GET', path))) {
      return opts.invoker.invoke(req, res, headerAppId, path.slice(1), rawQuery);
    }
    if (path.startsWith(INVOKE_PREFIX)) {
      const rest = path.slice(INVOKE_PREFIX.length);
      const at = rest.indexOf('/method/');
      if (at <= 0) throw noAppId();
      return opts.invoker.invoke(req, res, decodeAppId(rest.slice(0, at)), rest.slice(at + '/method/'.length), rawQuery);
    }
    const found = router.find(req.method as 'GET', path);
    if (!found) throw noAppId();
    const handler = (found.store as { handler: Handler }).handler;
    return handler({ req, res, params: found.params, query: queryOf(url) });
  };

  return (req, res) => {
    if (opts.apiLogger) logWhenDone(opts.apiLogger, req, res);
    dispatch(req, res).catch((err: unknown) => sendError(res, err));
  };
}

/** An HTTP server with the sidecar's limits; the same settings serve the API and the internal endpoint. */
export function createLimitedServer(limits: HttpLimits, handler: (req: IncomingMessage, res: ServerResponse) => void): Server {
  const server = createServer({ maxHeaderSize: limits.maxHeaderBytes, requestTimeout: limits.requestTimeoutMs, headersTimeout: limits.headersTimeoutMs }, handler);
  server.keepAliveTimeout = 30_000;
  // A malformed request line or header must not take the process down; Node answers 400/431 and closes.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  return server;
}

function decodeAppId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new DaprError(500, 'ERR_DIRECT_INVOKE', `failed to invoke, id: ${raw}, err: invalid app id`);
  }
}

function noAppId(): DaprError {
  return new DaprError(404, 'ERR_DIRECT_INVOKE', 'failed getting app id either from the URL path or the header dapr-app-id');
}

function isHealthCheck(method: string | undefined, path: string): boolean {
  return method === 'GET' && (path === '/v1.0/healthz' || path === '/v1.0/healthz/outbound');
}

/** Compares digests so neither the token's bytes nor its length leak through timing. */
function constantTimeMatcher(token: string): (candidate: string | string[] | undefined) => boolean {
  const expected = createHash('sha256').update(token).digest();
  return (candidate) => typeof candidate === 'string' && timingSafeEqual(createHash('sha256').update(candidate).digest(), expected);
}

function logWhenDone(logger: Logger, req: IncomingMessage, res: ServerResponse): void {
  const started = process.hrtime.bigint();
  res.once('close', () => {
    const url = req.url ?? '/';
    logger.info(
      {
        method: req.method,
        path: url.split('?', 1)[0],
        status: res.statusCode,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        userAgent: req.headers['user-agent'],
      },
      'HTTP API called',
    );
  });
}
