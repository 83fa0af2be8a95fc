import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { DaprError } from '../errors';

export const JSON_TYPE = 'application/json';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendNoContent(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(204, headers);
  res.end();
}

/** The one place an error becomes a response: DaprError as daprd's JSON body, anything else as a generic 500. */
export function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy(err instanceof Error ? err : undefined);
    return;
  }
  const dapr = err instanceof DaprError ? err : new DaprError(500, 'ERROR', err instanceof Error ? err.message : String(err));
  if (dapr.status === 413 && res.socket) lingerBeforeClose(res.socket);
  sendJson(res, dapr.status, dapr.toJSON(), dapr.status === 413 ? { connection: 'close' } : {});
}

/** Go's rstAvoidanceDelay: how long daprd's server waits between its FIN and closing a connection with unread data. */
const LINGER_MS = 500;

/**
 * After a 413 the client may still be uploading. Closing at once makes the kernel answer its next bytes with a
 * reset, and many clients (fetch among them) then report EPIPE instead of the 413. Like Go's server after a
 * too-large body, this sends the response, half-closes, stops reading, and closes the socket 500 ms later.
 * Node calls `destroySoon` once a `Connection: close` response is finished; this socket's version waits.
 */
function lingerBeforeClose(socket: Socket): void {
  socket.destroySoon = function lingeringDestroySoon(this: Socket) {
    this.end();
    this.pause();
    setTimeout(() => this.destroy(), LINGER_MS).unref();
  };
}

/**
 * Reads a request body of at most `limit` bytes. A declared Content-Length over the limit is refused before a
 * byte is read; a chunked body is counted as it arrives and refused the moment it passes the limit, so an
 * oversized upload never sits in memory.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.once('error', (err) => reject(new DaprError(400, 'ERR_BODY_READ', `failed to read request body: ${err.message}`)));
  });
}

export function tooLarge(limit: number): DaprError {
  return new DaprError(413, 'ERR_BODY_TOO_LARGE', `request body is larger than the limit of ${limit} bytes (--max-body-size)`);
}

/** Parses a JSON body, or fails with daprd's 400 ERR_MALFORMED_REQUEST. */
export function parseJson(body: Buffer, what = 'request body'): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new DaprError(400, 'ERR_MALFORMED_REQUEST', `failed to parse ${what} as JSON: ${(err as Error).message}`);
  }
}

/** Query parameters named `metadata.<k>` become component metadata `<k>`; the first value wins, as in daprd. */
export function metadataFromQuery(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of query) {
    if (name.startsWith('metadata.') && !(name.slice(9) in out)) out[name.slice(9)] = value;
  }
  return out;
}

export function queryOf(url: string | undefined): URLSearchParams {
  const i = url?.indexOf('?') ?? -1;
  return new URLSearchParams(i >= 0 ? url!.slice(i + 1) : '');
}
