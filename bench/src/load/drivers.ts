import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { connect, type NatsConnection } from 'nats';
import { Pool } from 'undici';
import type { Send } from './open-loop';

/** What the load generator sends, described as data so the orchestrator can pass it over IPC. */
export type DriverSpec =
  | {
      kind: 'http';
      origin: string;
      method: 'GET' | 'POST';
      path: string;
      headers?: Record<string, string>;
      body?: string;
      /** Replace the 20-digit `__INTENDED_SEND_TIME_NS__` marker in the body with the intended send time. */
      stampTime?: boolean;
      connections: number;
    }
  | { kind: 'redis-hmget'; host: string; port: number; key: string }
  | { kind: 'redis-hset'; host: string; port: number; key: string; value: string }
  | { kind: 'nats-publish'; url: string; subject: string; payload: string }
  | {
      kind: 'saga';
      /** The order app (not its sidecar): POST /orders, then GET /orders/:id until a final state. */
      origin: string;
      productIds: string[];
      finalStatuses: string[];
      /** The state an order ends in when the saga succeeds; any other final state counts as a failure. */
      successStatus: string;
      pollMs: number;
      timeoutMs: number;
    };

export interface Driver {
  send: Send;
  close(): Promise<void>;
}

export const TIME_MARKER = '__INTENDED_SEND_TIME__';

export async function openDriver(spec: DriverSpec): Promise<Driver> {
  switch (spec.kind) {
    case 'http':
      return httpDriver(spec);
    case 'redis-hmget':
    case 'redis-hset':
      return redisDriver(spec);
    case 'nats-publish':
      return natsDriver(spec);
    case 'saga':
      return sagaDriver(spec);
  }
}

/** A keep-alive undici Pool with a fixed number of connections and no pipelining, like Fortio's `-c`. */
function httpDriver(spec: Extract<DriverSpec, { kind: 'http' }>): Driver {
  const pool = new Pool(spec.origin, { connections: spec.connections, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: 30_000, bodyTimeout: 30_000 });
  const headers = { ...(spec.body !== undefined && { 'content-type': 'application/json' }), ...spec.headers };
  const fixed = spec.body === undefined ? undefined : Buffer.from(spec.body);
  const [before, after] = spec.stampTime && spec.body ? spliceAround(spec.body) : ['', ''];
  return {
    async send(intended) {
      const body = spec.stampTime ? before + String(intended).padStart(TIME_MARKER.length, '0') + after : fixed;
      const res = await pool.request({ origin: spec.origin, path: spec.path, method: spec.method, headers, body });
      if (res.statusCode >= 200 && res.statusCode < 300) {
        await res.body.dump();
        return true;
      }
      return `HTTP ${res.statusCode}: ${(await res.body.text()).slice(0, 300)}`;
    },
    close: () => pool.destroy(),
  };
}

function spliceAround(body: string): [string, string] {
  const at = body.indexOf(TIME_MARKER);
  if (at < 0) throw new Error(`stampTime needs ${TIME_MARKER} in the body`);
  return [body.slice(0, at), body.slice(at + TIME_MARKER.length)];
}

/** One ioredis connection, as an app (and the sidecar) would use; commands pipeline on it. */
async function redisDriver(spec: Extract<DriverSpec, { kind: 'redis-hmget' | 'redis-hset' }>): Promise<Driver> {
  const client = new Redis({ host: spec.host, port: spec.port, lazyConnect: true, maxRetriesPerRequest: 0 });
  await client.connect();
  let version = 0;
  const send =
    spec.kind === 'redis-hmget'
      ? async () => (await client.hmget(spec.key, 'data', 'version'))[0] !== null
      : async () => (await client.hset(spec.key, 'data', spec.value, 'version', String(++version))) >= 0;
  return { send, close: async () => void (await client.quit()) };
}

/** A JetStream publish that waits for the stream's ack, with a message id as the sidecar sets one. */
async function natsDriver(spec: Extract<DriverSpec, { kind: 'nats-publish' }>): Promise<Driver> {
  // Without async traces nats.js skips two stack captures per request: the best a direct publisher can do.
  const nc: NatsConnection = await connect({ servers: spec.url, noAsyncTraces: true });
  const js = nc.jetstream();
  const data = Buffer.from(spec.payload);
  return {
    async send() {
      await js.publish(spec.subject, data, { msgID: randomUUID() });
      return true;
    },
    close: () => nc.close(),
  };
}

/**
 * One order through the saga: its latency runs from the intended send time of the POST to the first poll that
 * sees a final state (late by up to `pollMs` for a quick order, more for a slow one). Each order takes the next product in turn, so orders
 * contend on a product only as often as a shop with that many products would.
 */
function sagaDriver(spec: Extract<DriverSpec, { kind: 'saga' }>): Driver {
  const pool = new Pool(spec.origin, { connections: 32, pipelining: 1, keepAliveTimeout: 60_000 });
  const final = new Set(spec.finalStatuses);
  let next = 0;
  const call = async (method: 'GET' | 'POST', path: string, body?: string): Promise<{ status: number; json: Record<string, unknown> }> => {
    const res = await pool.request({ path, method, headers: body ? { 'content-type': 'application/json' } : {}, body });
    return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> };
  };
  return {
    async send() {
      const productId = spec.productIds[next++ % spec.productIds.length]!;
      const created = await call('POST', '/orders', JSON.stringify({ items: [{ productId, quantity: 1 }] }));
      if (created.status !== 201) return `POST /orders: HTTP ${created.status} ${JSON.stringify(created.json).slice(0, 200)}`;
      const id = String(created.json['orderId']);
      const deadline = Date.now() + spec.timeoutMs;
      // Polls every pollMs at first, then less and less often (up to 20 × pollMs), so orders that queue up do not
      // bury the order app in polls of their own.
      for (let wait = spec.pollMs; ; wait = Math.min(wait * 1.25, spec.pollMs * 20)) {
        const order = await call('GET', `/orders/${id}`);
        const status = String(order.json['status']);
        if (final.has(status)) return status === spec.successStatus ? true : `ended ${status}`;
        if (Date.now() > deadline) return `unfinished after ${spec.timeoutMs} ms (${status})`;
        await new Promise((r) => setTimeout(r, wait));
      }
    },
    close: () => pool.destroy(),
  };
}
