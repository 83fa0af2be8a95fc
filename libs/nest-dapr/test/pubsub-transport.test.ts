import { Controller, Injectable, Module, type INestApplication, type OnModuleInit } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { IsInt, IsString, Min } from 'class-validator';
import { DaprClient, DaprModule, DaprPubSubContext, DropMessage, runDaprApp } from '../src';
import { freePort, startSidecar, waitFor, type SidecarProcess } from './support/sidecar';

class OrderPlaced {
  @IsString() id!: string;
  @IsInt() @Min(1) quantity!: number;
}

let initCalls = 0;
@Injectable()
class CountsInit implements OnModuleInit {
  onModuleInit(): void {
    initCalls++;
  }
}

const received: { topic: string; data: unknown; eventId?: string; pubsub: string }[] = [];

@Controller()
class Subscribers {
  @EventPattern('orders', { route: '/orders' })
  onOrder(@Payload() data: unknown, @Ctx() ctx: DaprPubSubContext): void {
    received.push({ topic: ctx.getTopic(), data, eventId: ctx.getCloudEvent()?.id, pubsub: ctx.getPubsubName() });
  }

  @EventPattern('declared', { route: '/declared' })
  onDeclared(@Payload() data: unknown, @Ctx() ctx: DaprPubSubContext): void {
    received.push({ topic: ctx.getTopic(), data, pubsub: ctx.getPubsubName() });
  }

  @EventPattern('defaults')
  onDefaults(@Payload() data: unknown): void {
    received.push({ topic: 'defaults', data, pubsub: 'events' });
  }

  @EventPattern('poison', { route: '/poison' })
  onPoison(): void {
    throw new DropMessage('this message can never be handled');
  }

  @EventPattern('flaky', { route: '/flaky' })
  async onFlaky(): Promise<void> {
    throw new Error('database unavailable');
  }

  @EventPattern('validated', { route: '/validated', deadLetterTopic: 'validated-dead' })
  onValidated(@Payload() order: OrderPlaced): void {
    received.push({ topic: 'validated', data: order, pubsub: 'events' });
  }
}

const PUBSUB = `apiVersion: dapr.io/v1alpha1
kind: Component
metadata: { name: events }
spec: { type: pubsub.in-memory, version: v1 }
`;
const DECLARED = `apiVersion: dapr.io/v2alpha1
kind: Subscription
metadata: { name: declared-sub }
spec:
  pubsubname: events
  topic: declared
  routes: { default: /declared }
scopes: [transport-test]
`;

const cloudEvent = (data: unknown) => JSON.stringify({ id: 'evt-1', specversion: '1.0', source: 'test', type: 'com.dapr.event.sent', topic: 't', pubsubname: 'events', datacontenttype: 'application/json', data });

describe('DaprPubSubServer (the @nestjs/microservices transport)', () => {
  let app: INestApplication;
  let appUrl: string;
  let sidecar: SidecarProcess;
  let dapr: DaprClient;

  beforeAll(async () => {
    const appPort = await freePort();
    sidecar = await startSidecar({ appId: 'transport-test', appPort, resources: { 'pubsub.yaml': PUBSUB, 'declared.yaml': DECLARED }, waitForApp: false });
    @Module({ imports: [DaprModule.forRoot({ httpPort: sidecar.httpPort })], controllers: [Subscribers], providers: [CountsInit] })
    class AppModule {}
    app = await runDaprApp(AppModule, { port: appPort, host: '127.0.0.1', pubsub: { pubsubName: 'events', declarative: ['declared'] } });
    appUrl = await app.getUrl();
    dapr = app.get(DaprClient);
    await waitFor('the sidecar to subscribe', async () => (await fetch(`${sidecar.url}/v1.0/healthz`)).status === 204, 20_000);
  });
  afterAll(async () => {
    await app?.close();
    await sidecar?.stop();
  });

  it('lists programmatic patterns with their routes in /dapr/subscribe and leaves declared topics out', async () => {
    const res = await fetch(`${appUrl}/dapr/subscribe`);
    const topics = ((await res.json()) as { topic: string }[]).sort((a, b) => a.topic.localeCompare(b.topic));
    expect(topics).toEqual([
      { pubsubname: 'events', topic: 'defaults', route: '/events/events/defaults' },
      { pubsubname: 'events', topic: 'flaky', route: '/flaky' },
      { pubsubname: 'events', topic: 'orders', route: '/orders' },
      { pubsubname: 'events', topic: 'poison', route: '/poison' },
      { pubsubname: 'events', topic: 'validated', route: '/validated', deadLetterTopic: 'validated-dead' },
    ]);
  });

  it('delivers a published event to its @EventPattern handler with the CloudEvent in the context', async () => {
    await dapr.publish('events', 'orders', { id: '0001', name: 'sample' });
    const got = await waitFor('the order event', () => received.find((r) => r.topic === 'orders'));
    expect(got).toEqual({ topic: 'orders', data: { id: '0001', name: 'sample' }, eventId: expect.any(String), pubsub: 'events' });
  });

  it('delivers a topic that a Subscription file declares to the route the file names', async () => {
    await dapr.publish('events', 'declared', { via: 'file' });
    expect(await waitFor('the declared event', () => received.find((r) => r.topic === 'declared'))).toMatchObject({ data: { via: 'file' } });
  });

  it('answers SUCCESS when the handler resolves', async () => {
    const res = await post('/orders', cloudEvent({ id: 'direct' }));
    expect(res).toEqual({ status: 200, body: { status: 'SUCCESS' } });
  });

  it('answers DROP when the handler throws DropMessage', async () => {
    expect(await post('/poison', cloudEvent({}))).toEqual({ status: 200, body: { status: 'DROP' } });
  });

  it('answers RETRY when the handler throws any other error', async () => {
    expect(await post('/flaky', cloudEvent({}))).toEqual({ status: 200, body: { status: 'RETRY' } });
  });

  it('drops a message whose payload fails DTO validation, and hands a valid one over as the DTO', async () => {
    expect(await post('/validated', cloudEvent({ id: 'x', quantity: 0 }))).toEqual({ status: 200, body: { status: 'DROP' } });
    expect(await post('/validated', cloudEvent({ id: 'x', quantity: 2 }))).toEqual({ status: 200, body: { status: 'SUCCESS' } });
    expect(received.find((r) => r.topic === 'validated')?.data).toBeInstanceOf(OrderPlaced);
  });

  it('runs the modules’ init hooks once, although the transport is set up after its pipe', () => {
    expect(initCalls).toBe(1);
  });

  async function post(path: string, body: string): Promise<{ status: number; body: unknown }> {
    const res = await fetch(appUrl + path, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json' }, body });
    return { status: res.status, body: await res.json() };
  }
});
