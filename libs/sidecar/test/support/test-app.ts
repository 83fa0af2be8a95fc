import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface TestApp {
  port: number;
  server: Server;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export type TestHandler = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

/**
 * A real little HTTP app on a free loopback port. It records every request it gets; the handler answers
 * (by default: 200 with a JSON echo of method, url, headers and body).
 */
export async function startTestApp(handler: TestHandler = echo, port = 0): Promise<TestApp> {
  const requests: RecordedRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      return; // the sidecar aborted the request (e.g. its body passed the limit); there is nothing to answer
    }
    const recorded = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) };
    requests.push(recorded);
    try {
      await handler(recorded, res);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err));
    }
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    server,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function echo(req: RecordedRequest, res: ServerResponse): void {
  const body = JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: req.body.toString('utf8') });
  res.writeHead(200, { 'content-type': 'application/json', 'x-test-app': 'yes' });
  res.end(body);
}
