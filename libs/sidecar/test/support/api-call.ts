export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON (throws when it is not JSON). */
  json<T = unknown>(): T;
}

/**
 * A small fetch wrapper for talking to a sidecar: an object body goes as JSON, a string or Buffer as is, and
 * the whole response body is read so connections are reused.
 */
export async function apiCall(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    const raw = typeof body === 'string' || Buffer.isBuffer(body);
    init.body = raw ? (body as string) : JSON.stringify(body);
    if (!raw && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
  }
  const res = await fetch(baseUrl + path, init);
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: <T>() => JSON.parse(text) as T,
  };
}

/** `apiCall` bound to one sidecar. */
export function apiOf(baseUrl: string) {
  return (method: string, path: string, body?: unknown, headers?: Record<string, string>) => apiCall(baseUrl, method, path, body, headers);
}
