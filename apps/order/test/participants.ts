import type { CartView, Product, Topic } from '@repo/contracts';
import { startInProcessSidecar, startTestApp, waitFor, type RunningSidecar, type TestApp } from './support';

export const PUBSUB = `apiVersion: dapr.io/v1alpha1
kind: Component
metadata: { name: order-pubsub }
spec: { type: pubsub.in-memory, version: v1 }
`;

export const ORDER_STORE = `apiVersion: dapr.io/v1alpha1
kind: Component
metadata: { name: order-store }
spec: { type: state.in-memory, version: v1 }
`;

const COMMAND_TOPICS = ['stock-reserve-allocate', 'stock-approve-allocate', 'stock-reject-allocate', 'payment-create', 'payment-reject-create', 'order'];

export interface Command {
  topic: string;
  data: { requestId?: string; [k: string]: unknown };
}

/**
 * Plays every participant the orchestrator talks to, as a real HTTP app under the app id `stock` with its own
 * sidecar: serves the catalogue (`GET /stock/products`), records every command published to stock and payment,
 * and publishes the replies a test chooses.
 */
export interface Participants {
  commands: Command[];
  commandsFor(requestId: string, count: number): Promise<Command[]>;
  reply(requestId: string, processType: string, status: 200 | 400, message?: string): Promise<void>;
  publish(topic: Topic | string, data: unknown): Promise<void>;
  stop(): Promise<void>;
}

export async function startParticipants(registryDir: string, catalogue: Product[]): Promise<Participants> {
  const commands: Command[] = [];
  const app: TestApp = await startTestApp((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.method === 'GET' && req.url === '/dapr/subscribe') {
      return void res.end(JSON.stringify(COMMAND_TOPICS.map((topic) => ({ pubsubname: 'order-pubsub', topic, route: `/commands/${topic}` }))));
    }
    if (req.method === 'GET' && req.url === '/stock/products') return void res.end(JSON.stringify(catalogue));
    if (req.url?.startsWith('/commands/')) {
      commands.push({ topic: req.url.slice('/commands/'.length), data: (JSON.parse(req.body.toString()) as { data: Command['data'] }).data });
      return void res.end('{"status":"SUCCESS"}');
    }
    res.statusCode = 404;
    res.end('{}');
  });
  const sidecar: RunningSidecar = await startInProcessSidecar({ appId: 'stock', appPort: app.port, resources: { 'pubsub.yaml': PUBSUB }, registryDir });
  await sidecar.sidecar.whenReady();
  const publish = async (topic: string, data: unknown) => {
    const res = await fetch(`${sidecar.daprUrl}/v1.0/publish/order-pubsub/${topic}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) });
    if (res.status !== 204) throw new Error(`publish to ${topic}: ${res.status} ${await res.text()}`);
  };
  return {
    commands,
    commandsFor: (requestId, count) =>
      waitFor(`${count} commands for ${requestId}`, () => {
        const found = commands.filter((c) => c.data.requestId === requestId);
        return found.length >= count ? found : undefined;
      }),
    reply: (requestId, processType, status, message) => publish('create-order-reply', { requestId, processType, status, ...(message ? { message } : {}) }),
    publish,
    stop: async () => {
      await sidecar.stop();
      await app.close();
    },
  };
}

/** A stand-in cart app (app id `cart`): one cart per user, and the DELETEs it got. */
export async function startCart(registryDir: string, carts: Record<string, CartView>): Promise<{ deletes: { user: string; ifMatch: string }[]; stop(): Promise<void> }> {
  const deletes: { user: string; ifMatch: string }[] = [];
  const app = await startTestApp((req, res) => {
    const user = String(req.headers['x-user-id'] ?? 'A00001');
    if (req.url !== '/cart') return void res.writeHead(404).end();
    if (req.method === 'DELETE') deletes.push({ user, ifMatch: String(req.headers['if-match']) });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(carts[user] ?? { userId: user, items: [], etag: null }));
  });
  const sidecar = await startInProcessSidecar({ appId: 'cart', appPort: app.port, registryDir });
  return {
    deletes,
    stop: async () => {
      await sidecar.stop();
      await app.close();
    },
  };
}
