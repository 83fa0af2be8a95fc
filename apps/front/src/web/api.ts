import type { NotAnsweringBody } from './views.js';

/** An answer of the front's backend (`/api/...`); `body` is parsed JSON, or the text when it is not JSON. */
export interface ApiAnswer<T> {
  status: number;
  ok: boolean;
  body: T;
}

export interface ApiRequest {
  method?: string;
  body?: unknown;
  ifMatch?: string | null;
  shopper?: string;
}

/** The front itself did not answer (stopped, or the network is gone). */
export class FrontUnreachable extends Error {
  constructor() {
    super('The shop is not answering. Check that it is running, then reload the page.');
  }
}

export async function api<T>(path: string, req: ApiRequest = {}): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (req.body !== undefined) headers['content-type'] = 'application/json';
  if (req.ifMatch) headers['if-match'] = `"${req.ifMatch}"`;
  if (req.shopper) headers['x-user-id'] = req.shopper;
  let res: Response;
  try {
    res = await fetch(path, { method: req.method ?? 'GET', headers, body: req.body === undefined ? undefined : JSON.stringify(req.body) });
  } catch {
    throw new FrontUnreachable();
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, ok: res.ok, body: body as T };
}

/** The sentence to show for a failed answer: the backend's own message when it has one. */
export function problemOf(answer: ApiAnswer<unknown>): string {
  const body = answer.body as Partial<NotAnsweringBody> | string | undefined;
  if (typeof body === 'object' && body && body.message) return Array.isArray(body.message) ? body.message.join('; ') : String(body.message);
  if (typeof body === 'string' && body) return body;
  return `The request failed (HTTP ${answer.status}).`;
}

/** True when the answer says an app behind the front is down (the page then retries by itself). */
export function isNotAnswering(answer: ApiAnswer<unknown>): boolean {
  return answer.status === 503;
}
