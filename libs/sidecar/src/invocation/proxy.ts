import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { Pool } from '../undici-pool';
import { tooLarge } from '../api/http';
import { DaprError } from '../errors';
import { forwardableResponseHeaders } from './headers';

/** One keep-alive pool per origin, made on first use and kept for the sidecar's life. */
export class PoolCache {
  private readonly pools = new Map<string, Pool>();

  get(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      // Headers and body may take as long as the app takes; daprd sets no timeout without a Resiliency policy.
      pool = new Pool(origin, { keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0 });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.pools.values()].map((p) => p.close()));
    this.pools.clear();
  }
}

export interface ForwardRequest {
  req: IncomingMessage;
  res: ServerResponse;
  dispatcher: Dispatcher;
  /** Path and query, already normalised, e.g. `/api/v1/add?x=1`. */
  path: string;
  headers: Record<string, string | string[]>;
  maxBodyBytes: number;
}

/**
 * Streams a request to the next hop and its response back, status, headers and body unchanged. Nothing is
 * parsed or buffered; the body limit is counted as bytes pass. Rejects with the transport error only when
 * nothing has been sent to the caller yet, so the caller can still answer with a Dapr error.
 */
export async function forward({ req, res, dispatcher, path, headers, maxBodyBytes }: ForwardRequest): Promise<void> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBodyBytes) throw tooLarge(maxBodyBytes);
  const hasBody = (declared !== undefined && declared !== '0') || req.headers['transfer-encoding'] !== undefined;
  let limitError: DaprError | undefined;
  const body = hasBody ? (declared !== undefined ? req : limitBytes(req, maxBodyBytes, (e) => (limitError = e))) : undefined;
  try {
    await dispatcher.stream(
      { path, method: req.method as Dispatcher.HttpMethod, headers, body },
      ({ statusCode, headers: upstream }) => {
        res.writeHead(statusCode, forwardableResponseHeaders(upstream));
        return res;
      },
    );
  } catch (err) {
    if (limitError) throw limitError;
    throw err;
  }
}

/** Passes a chunked body through, failing it once it has carried more than `limit` bytes. */
function limitBytes(source: Readable, limit: number, onLimit: (e: DaprError) => void): Readable {
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > limit) {
        const err = tooLarge(limit);
        onLimit(err);
        done(err);
      } else done(null, chunk);
    },
  });
  source.on('error', (e) => counter.destroy(e));
  return source.pipe(counter);
}
