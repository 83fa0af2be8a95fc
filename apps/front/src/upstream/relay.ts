import type { InvokeResponse } from '@repo/nest-dapr';

/** The subset of Express's response that relaying writes. */
export interface RawResponse {
  status(code: number): RawResponse;
  setHeader(name: string, value: string): void;
  send(body: Buffer): void;
}

/** Passes an app's answer on as it came: status, content type, ETag and body. */
export function relay(res: RawResponse, upstream: InvokeResponse): void {
  for (const name of ['content-type', 'etag']) {
    const value = upstream.headers[name];
    if (typeof value === 'string') res.setHeader(name, value);
  }
  res.status(upstream.status).send(upstream.body);
}

export function sendJson(res: RawResponse, status: number, value: unknown): void {
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.status(status).send(Buffer.from(JSON.stringify(value)));
}
