import { createSidecar, type Sidecar } from '../src';
import { waitFor } from './support/poll';
import { pubsubComponent, startSubscriberApp, type SubscriberApp } from './support/pubsub';
import { newRegistryDir, writeResources } from './support/sidecar-process';

/**
 * The article's pub/sub scenario: `order` publishes {"id":"0001","name":"sample"} to order-pubsub/order, and
 * `stock` and `payment` each get it once. Three sidecars share one process, and so the in-memory broker, as
 * `npm start` runs them.
 */
const ORDER = { id: '0001', name: 'sample' };

async function startAll(resources: Record<string, string>, subscriptions: unknown[] | undefined) {
  const resourcesPath = writeResources(resources);
  const registryDir = newRegistryDir();
  const apps = { stock: await startSubscriberApp(subscriptions), payment: await startSubscriberApp(subscriptions) };
  const sidecar = (appId: string, appPort?: number) =>
    createSidecar({ appId, appPort, daprHttpPort: 0, resourcesPaths: [resourcesPath], registryDir, logLevel: 'error' });
  const sidecars = { order: sidecar('order'), stock: sidecar('stock', apps.stock.port), payment: sidecar('payment', apps.payment.port) };
  for (const s of Object.values(sidecars)) await s.start();
  await Promise.all([sidecars.stock.whenReady(), sidecars.payment.whenReady()]);
  return { apps, sidecars };
}

async function stopAll(env: { apps: Record<string, SubscriberApp>; sidecars: Record<string, Sidecar> } | undefined) {
  if (!env) return;
  await Promise.all(Object.values(env.sidecars).map((s) => s.stop()));
  await Promise.all(Object.values(env.apps).map((a) => a.close()));
}

/** Publishes as the article's publisher app does: one POST to its own sidecar. */
async function publish(order: Sidecar, body: unknown): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${order.httpPort}/v1.0/publish/order-pubsub/order`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

async function expectEachAppGotItOnce(env: Awaited<ReturnType<typeof startAll>>) {
  expect(await publish(env.sidecars.order, ORDER)).toBe(204);
  // A second order, once seen by both, shows the first was not delivered again: each app is served in order.
  expect(await publish(env.sidecars.order, { id: '0002', name: 'marker' })).toBe(204);
  for (const app of Object.values(env.apps)) {
    await waitFor('both orders', () => app.events('/order').length >= 2);
    expect(app.events('/order').map((e) => e['data'])).toEqual([ORDER, { id: '0002', name: 'marker' }]);
  }
}

describe('the article’s order → stock + payment scenario', () => {
  describe('with /dapr/subscribe', () => {
    let env: Awaited<ReturnType<typeof startAll>> | undefined;
    beforeAll(async () => {
      env = await startAll({ 'pubsub.yaml': pubsubComponent('order-pubsub') }, [{ pubsubname: 'order-pubsub', topic: 'order', route: '/order' }]);
    });
    afterAll(() => stopAll(env));

    it('delivers the order to stock and to payment exactly once', () => expectEachAppGotItOnce(env!));
  });

  describe('with only a Subscription file scoped to stock and payment', () => {
    let env: Awaited<ReturnType<typeof startAll>> | undefined;
    beforeAll(async () => {
      const subscription = [
        'apiVersion: dapr.io/v2alpha1',
        'kind: Subscription',
        'metadata: {name: order}',
        'spec:',
        '  pubsubname: order-pubsub',
        '  topic: order',
        '  routes: {default: /order}',
        'scopes: [stock, payment]',
        '',
      ].join('\n');
      env = await startAll({ 'pubsub.yaml': pubsubComponent('order-pubsub'), 'subscription.yaml': subscription }, undefined);
    });
    afterAll(() => stopAll(env));

    it('delivers the order to stock and to payment exactly once', () => expectEachAppGotItOnce(env!));

    it('asked each app for /dapr/subscribe and got 404, so only the file subscribes', async () => {
      const metadata = (await (await fetch(`http://127.0.0.1:${env!.sidecars.stock.httpPort}/v1.0/metadata`)).json()) as { subscriptions: unknown[] };
      expect(metadata.subscriptions).toEqual([{ pubsubname: 'order-pubsub', topic: 'order', rules: [{ path: '/order' }], deadLetterTopic: '', type: 'DECLARATIVE' }]);
      expect(env!.apps.stock.at('/dapr/subscribe')).toHaveLength(1);
    });
  });
});
