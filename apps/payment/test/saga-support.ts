import type { CreateOrderReply } from '@repo/contracts';
import { startInProcessSidecar, startTestApp, waitFor, type RunningSidecar, type TestApp } from './support';

export const PUBSUB = `apiVersion: dapr.io/v1alpha1
kind: Component
metadata: { name: order-pubsub }
spec: { type: pubsub.in-memory, version: v1 }
`;

export const PAYMENT_STORE = `apiVersion: dapr.io/v1alpha1
kind: Component
metadata: { name: payment-store }
spec: { type: state.in-memory, version: v1 }
`;

export const DEMO_SUBSCRIPTION_FILE = `apiVersion: dapr.io/v1alpha1
kind: Subscription
metadata:
  name: order-subscription
spec:
  pubsubname: order-pubsub
  topic: order
  route: /order
scopes:
- stock
- payment
`;

/**
 * Plays the orchestrator's part: a real HTTP app under the app id `order` that subscribes to
 * `create-order-reply` and records the replies, with a sidecar to publish saga commands through.
 */
export interface Orchestrator {
  replies: CreateOrderReply[];
  publish(topic: string, data: unknown): Promise<void>;
  repliesFor(requestId: string, count?: number): Promise<CreateOrderReply[]>;
  stop(): Promise<void>;
}

export async function startOrchestrator(registryDir: string): Promise<Orchestrator> {
  const replies: CreateOrderReply[] = [];
  const app: TestApp = await startTestApp((req, res) => {
    if (req.method === 'GET' && req.url === '/dapr/subscribe') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify([{ pubsubname: 'order-pubsub', topic: 'create-order-reply', route: '/replies' }]));
    }
    if (req.url === '/replies') replies.push((JSON.parse(req.body.toString()) as { data: CreateOrderReply }).data);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"SUCCESS"}');
  });
  const sidecar: RunningSidecar = await startInProcessSidecar({ appId: 'order', appPort: app.port, resources: { 'pubsub.yaml': PUBSUB }, registryDir });
  await sidecar.sidecar.whenReady();
  return {
    replies,
    publish: async (topic, data) => {
      const res = await fetch(`${sidecar.daprUrl}/v1.0/publish/order-pubsub/${topic}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(data),
      });
      if (res.status !== 204) throw new Error(`publish to ${topic}: ${res.status} ${await res.text()}`);
    },
    repliesFor: (requestId, count = 1) =>
      waitFor(`${count} replies for ${requestId}`, () => {
        const found = replies.filter((r) => r.requestId === requestId);
        return found.length >= count ? found : undefined;
      }),
    stop: async () => {
      await sidecar.stop();
      await app.close();
    },
  };
}
