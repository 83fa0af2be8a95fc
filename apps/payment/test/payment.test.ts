import type { Payment, ReceivedDemoOrders } from '@repo/contracts';
import { AppModule } from '../src/app.module';
import { pubsubOptions } from '../src/pubsub';
import { DEMO_SUBSCRIPTION_FILE, PAYMENT_STORE, PUBSUB, startOrchestrator, type Orchestrator } from './saga-support';
import { newRegistryDir, startDaprApp, waitFor, type RunningDaprApp } from './support';

describe('payment in the order saga', () => {
  const registryDir = newRegistryDir();
  let payment: RunningDaprApp;
  let order: Orchestrator;

  beforeAll(async () => {
    order = await startOrchestrator(registryDir);
    payment = await startDaprApp({
      appId: 'payment',
      rootModule: AppModule,
      resources: { 'pubsub.yaml': PUBSUB, 'store.yaml': PAYMENT_STORE, 'subscription.yaml': DEMO_SUBSCRIPTION_FILE },
      env: { PAYMENT_LIMIT: '1000' },
      pubsub: pubsubOptions({ demoSubscription: 'declarative' }),
      registryDir,
    });
  });
  afterAll(async () => {
    await payment?.stop();
    await order?.stop();
  });

  const stored = async (id: string): Promise<Payment> => (await fetch(`${payment.url}/payments/${id}`)).json() as Promise<Payment>;

  it('creates a payment within PAYMENT_LIMIT and replies 200', async () => {
    await order.publish('payment-create', { requestId: 'pay-1', userId: 'A00001', totalPrice: 1000 });
    expect(await order.repliesFor('pay-1')).toEqual([{ requestId: 'pay-1', status: 200, processType: 'PAYMENT_CREATE' }]);
    expect(await stored('pay-1')).toMatchObject({ status: 'CREATED', totalPrice: 1000, userId: 'A00001' });
  });

  it('fails a payment over PAYMENT_LIMIT with a 400 reply', async () => {
    await order.publish('payment-create', { requestId: 'pay-2', userId: 'A00001', totalPrice: 1001 });
    expect(await order.repliesFor('pay-2')).toEqual([
      { requestId: 'pay-2', status: 400, processType: 'PAYMENT_CREATE', message: 'Payment of 1001 exceeds the limit of 1000' },
    ]);
    expect((await stored('pay-2')).status).toBe('FAILED');
  });

  it('cancels a created payment (compensation)', async () => {
    await order.publish('payment-create', { requestId: 'pay-3', userId: 'A00001', totalPrice: 10 });
    await order.repliesFor('pay-3');
    await order.publish('payment-reject-create', { requestId: 'pay-3' });
    expect((await order.repliesFor('pay-3', 2))[1]).toEqual({ requestId: 'pay-3', status: 200, processType: 'PAYMENT_REJECT_CREATE' });
    expect((await stored('pay-3')).status).toBe('REJECTED');
  });

  it('handles a message delivered twice once and repeats its reply', async () => {
    const request = { requestId: 'pay-4', userId: 'A00001', totalPrice: 10 };
    await order.publish('payment-create', request);
    await order.publish('payment-create', request);
    expect((await order.repliesFor('pay-4', 2)).map((r) => r.status)).toEqual([200, 200]);
    const first = await stored('pay-4');
    await order.publish('payment-reject-create', { requestId: 'pay-4' });
    await order.publish('payment-reject-create', { requestId: 'pay-4' });
    expect((await order.repliesFor('pay-4', 4)).slice(2).map((r) => r.status)).toEqual([200, 200]);
    expect(await stored('pay-4')).toMatchObject({ status: 'REJECTED', totalPrice: first.totalPrice });
  });

  it('receives the article’s order message on POST /order through the Subscription file', async () => {
    await order.publish('order', { id: '0001', name: 'sample' });
    const received = await waitFor('the demo message', async () => {
      const list = (await (await fetch(`${payment.url}/order/received`)).json()) as ReceivedDemoOrders;
      return list.count > 0 ? list : undefined;
    });
    expect(received).toMatchObject({ count: 1, messages: [{ data: { id: '0001', name: 'sample' } }] });
  });
});
