import { Pool } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';

export interface SidecarRequest {
  method: string;
  path: string;
  query?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  body?: string | Buffer;
  contentType?: string;
  /** Abort when no response headers came in this time (used by health polling). */
  headersTimeoutMs?: number;
}

export interface SidecarResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One keep-alive connection pool to the sidecar's HTTP API; adds the API token to every call. */
export class SidecarHttp {
  private readonly pool: Pool;

  constructor(
    readonly origin: string,
    private readonly apiToken: string | undefined,
  ) {
    this.pool = new Pool(origin, { connections: 32, keepAliveTimeout: 10_000 });
  }

  async request(req: SidecarRequest): Promise<SidecarResponse> {
    const headers: Record<string, string> = { ...req.headers };
    if (this.apiToken) headers['dapr-api-token'] = this.apiToken;
    if (req.contentType) headers['content-type'] = req.contentType;
    const res = await this.pool.request({
      method: req.method as 'GET',
      path: req.path + queryString(req.query),
      headers,
      body: req.body,
      headersTimeout: req.headersTimeoutMs,
    });
    const body = Buffer.from(await res.body.arrayBuffer());
    return { status: res.statusCode, headers: res.headers as IncomingHttpHeaders, body };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

function queryString(query: SidecarRequest['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.append(k, v);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A path segment (store name, key, app id): escaped so `/` or `?` inside a key stay part of it. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}
