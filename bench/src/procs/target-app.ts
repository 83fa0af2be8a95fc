import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { newHistogram, recordNs, summarise } from '../load/histogram';

/**
 * The app behind every path: `POST /echo` answers with the body it got, `GET /value` with a fixed 1 KB JSON
 * (the floor for a state read: one plain HTTP hop), and, when SUBSCRIBE_PUBSUB/SUBSCRIBE_TOPIC are set, it
 * subscribes programmatically and records each event's publish-to-delivery latency from the intended send
 * time stamped in its data (process.hrtime is CLOCK_MONOTONIC, shared by every process on the machine).
 */
const port = Number(process.env['PORT']);
const value = Buffer.from(process.env['VALUE'] ?? '{}');
const pubsubname = process.env['SUBSCRIBE_PUBSUB'];
const topic = process.env['SUBSCRIBE_TOPIC'];
const deliveries = newHistogram();

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readAll(req);
  if (req.url === '/echo') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  } else if (req.url === '/value') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': value.length });
    res.end(value);
  } else if (req.url === '/dapr/subscribe') {
    json(res, 200, pubsubname && topic ? [{ pubsubname, topic, route: '/deliver' }] : []);
  } else if (req.url === '/deliver') {
    const now = process.hrtime.bigint();
    const event = JSON.parse(body.toString('utf8')) as { data?: { t?: string } };
    if (event.data?.t) recordNs(deliveries, now - BigInt(event.data.t));
    json(res, 200, { status: 'SUCCESS' });
  } else if (req.url === '/stats') {
    json(res, 200, summarise(deliveries));
  } else if (req.url === '/stats/reset') {
    deliveries.reset();
    json(res, 200, {});
  } else {
    json(res, 404, { error: `no route ${req.url}` });
  }
}

const server = createServer((req, res) => {
  handle(req, res).catch((err: unknown) => json(res, 500, { error: String(err) }));
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
