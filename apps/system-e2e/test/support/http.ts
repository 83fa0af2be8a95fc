import { setTimeout as sleep } from 'node:timers/promises';

const REQUEST_TIMEOUT_MS = 20_000;

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** One HTTP request; a failure to connect or a timeout names the request. */
export async function request(method: string, url: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  } catch (err) {
    throw new Error(`${method} ${url} failed: ${err instanceof Error ? `${err.message}${err.cause ? ` (${String(err.cause)})` : ''}` : String(err)}`);
  }
}

/** A request that must answer `status`; anything else fails with the request and what came back. */
export async function expectStatus(status: number, method: string, url: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const answer = await request(method, url, options);
  if (answer.status !== status) throw new Error(`${method} ${url} answered ${answer.status}, expected ${status}: ${answer.text.slice(0, 500)}`);
  return answer;
}

export async function getJson<T>(url: string, headers?: Record<string, string>): Promise<T> {
  return JSON.parse((await expectStatus(200, 'GET', url, { headers })).text) as T;
}

/** GET that may find nothing: 404 → undefined. */
export async function findJson<T>(url: string): Promise<T | undefined> {
  const answer = await request('GET', url);
  if (answer.status === 404) return undefined;
  if (answer.status !== 200) throw new Error(`GET ${url} answered ${answer.status}: ${answer.text.slice(0, 500)}`);
  return JSON.parse(answer.text) as T;
}

/**
 * Polls `read` until `done` holds for what it returned, and returns that. Fails after `timeoutMs` with `what`
 * and the last value seen (or the last error): eventual outcomes are awaited, never slept for.
 */
export async function eventually<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 30_000, intervalMs = 200, show = (v: T) => JSON.stringify(v) }: { timeoutMs?: number; intervalMs?: number; show?: (value: T) => string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: { value: T } | { error: unknown } | undefined;
  for (;;) {
    try {
      const value = await read();
      if (done(value)) return value;
      last = { value };
    } catch (error) {
      last = { error };
    }
    if (Date.now() > deadline) {
      const seen = !last ? 'nothing' : 'value' in last ? show(last.value) : `an error: ${String(last.error)}`;
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}; last seen: ${seen}`);
    }
    await sleep(intervalMs);
  }
}
