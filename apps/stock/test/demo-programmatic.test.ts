import type { ReceivedDemoOrders } from '@repo/contracts';
import { AppModule } from '../src/app.module';
import { pubsubOptions } from '../src/pubsub';
import { PUBSUB, STOCK_STORE, startOrchestrator, type Orchestrator } from './saga-support';
import { newRegistryDir, startDaprApp, waitFor, type RunningDaprApp } from './support';

/** The article's other variant: no `Subscription` file; stock lists the `order` topic in `/dapr/subscribe`. */
describe('the article’s order message, subscribed programmatically', () => {
  const registryDir = newRegistryDir();
  let stock: RunningDaprApp;
  let order: Orchestrator;

  beforeAll(async () => {
    order = await startOrchestrator(registryDir);
    stock = await startDaprApp({
      appId: 'stock',
      rootModule: AppModule,
      resources: { 'pubsub.yaml': PUBSUB, 'store.yaml': STOCK_STORE },
      env: { DEMO_SUBSCRIPTION_MODE: 'programmatic' },
      pubsub: pubsubOptions({ demoSubscription: 'programmatic' }),
      registryDir,
    });
  });
  afterAll(async () => {
    await stock?.stop();
    await order?.stop();
  });

  it('lists order-pubsub/order with route /order, as the article’s stock app does, and receives the message', async () => {
    const listed = (await (await fetch(`${stock.url}/dapr/subscribe`)).json()) as unknown[];
    expect(listed).toContainEqual({ pubsubname: 'order-pubsub', topic: 'order', route: '/order' });

    await order.publish('order', { id: '0001', name: 'sample' });
    const received = await waitFor('the demo message', async () => {
      const list = (await (await fetch(`${stock.url}/order/received`)).json()) as ReceivedDemoOrders;
      return list.count > 0 ? list : undefined;
    });
    expect(received.messages.map((m) => m.data)).toEqual([{ id: '0001', name: 'sample' }]);
  });
});
