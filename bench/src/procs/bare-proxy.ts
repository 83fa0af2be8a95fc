import { createServer } from 'node:http';
import { Pool } from 'undici';

/**
 * The floor: the least a Node HTTP hop can cost. A keep-alive undici Pool to TARGET, request and response
 * streamed through, only the headers HTTP forbids a proxy to relay removed. Nothing else.
 */
const pool = new Pool(process.env['TARGET']!, { keepAliveTimeout: 60_000 });
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'upgrade']);
const strip = (headers: Record<string, string | string[] | undefined>) => {
  const out: Record<string, string | string[]> = {};
  for (const name in headers) if (!HOP.has(name) && headers[name] !== undefined) out[name] = headers[name]!;
  return out;
};

const server = createServer((req, res) => {
  const hasBody = req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0';
  pool
    .stream({ path: req.url!, method: req.method as 'GET', headers: strip(req.headers), body: hasBody ? req : undefined }, ({ statusCode, headers }) => {
      res.writeHead(statusCode, strip(headers));
      return res;
    })
    .catch((err: Error) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(err.message);
    });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env['PORT']), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
