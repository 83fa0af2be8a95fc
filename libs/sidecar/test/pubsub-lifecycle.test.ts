import { createServer, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSidecar, type Sidecar } from '../src';
import { waitFor } from './support/poll';
import { pubsubComponent, startSubscriberApp, type SubscriberApp } from './support/pubsub';
import { newRegistryDir, writeResources } from './support/sidecar-process';

/**
 * A subscriber's sidecar stopping, and its app going away, while messages wait on the in-memory broker. A
 * publisher sidecar without an app stays up throughout and keeps the broker (shared per process) alive.
 */
const SUBSCRIPTIONS = [{ pubsubname: 'pubsub', topic: 'work', route: '/work' }];

describe('pub/sub across stops and restarts', () => {
  const resourcesPath = writeResources({ 'pubsub.yaml': pubsubComponent('pubsub', { redeliverInterval: '50ms' }) });
  const registryDir = newRegistryDir();
  const started: Sidecar[] = [];
  const apps: SubscriberApp[] = [];
  let publisher: Sidecar;

  const sidecar = async (appId: string, appPort?: number, gracefulShutdownSeconds?: number) => {
    const s = createSidecar({ appId, appPort, daprHttpPort: 0, resourcesPaths: [resourcesPath], registryDir, logLevel: 'error', gracefulShutdownSeconds });
    started.push(s);
    await s.start();
    if (appPort !== undefined) await s.whenReady();
    return s;
  };
  const app = async (...args: Parameters<typeof startSubscriberApp>) => {
    const a = await startSubscriberApp(...args);
    apps.push(a);
    return a;
  };
  const publish = async (topic: string, body: unknown, query = '') => {
    const res = await fetch(`http://127.0.0.1:${publisher.httpPort}/v1.0/publish/pubsub/${topic}${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(204);
  };
  const data = (a: SubscriberApp) => a.events('/work').map((e) => e['data']);

  beforeAll(async () => {
    publisher = await sidecar('publisher');
  });

  afterAll(async () => {
    await Promise.all(started.map((s) => s.stop()));
    await Promise.all(apps.map((a) => a.close()));
  });

  it('lets an in-flight delivery finish on stop, takes no new one, and leaves the rest on the broker', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = await app(SUBSCRIPTIONS, {
      '/work': async (_req, res) => {
        await gate;
        res.writeHead(200).end();
      },
    });
    const worker = await sidecar('worker-a', first.port);
    await publish('work', { n: 1 });
    await publish('work', { n: 2 });
    await waitFor('the first delivery', () => first.at('/work').length === 1);
    const stopped = worker.stop();
    release();
    await stopped;
    expect(data(first)).toEqual([{ n: 1 }]);

    const second = await app(SUBSCRIPTIONS);
    await sidecar('worker-a', second.port);
    await waitFor('the waiting message', () => second.at('/work').length === 1);
    // n=1 was acked once the app answered, so only n=2 is left for the restarted subscriber.
    await publish('work', { n: 3 });
    await waitFor('the next message', () => second.at('/work').length === 2);
    expect(data(second)).toEqual([{ n: 2 }, { n: 3 }]);
  });

  it('gives a delivery still running when the grace period ends back to the broker', async () => {
    const stuck = await app(SUBSCRIPTIONS, { '/work': () => new Promise<void>(() => undefined) });
    const worker = await sidecar('worker-b', stuck.port, 0);
    await publish('work', { stuck: true });
    await waitFor('the delivery', () => stuck.at('/work').length === 1);
    await worker.stop();

    const next = await app(SUBSCRIPTIONS);
    await sidecar('worker-b', next.port);
    await waitFor('the redelivery', () => next.at('/work').length === 1);
    expect(data(next)).toEqual([{ stuck: true }]);
  });

  it('retries while the app cannot be reached and delivers once it is back', async () => {
    const first = await app(SUBSCRIPTIONS);
    const port = first.port;
    await sidecar('worker-c', port);
    await first.close();
    await publish('work', { waited: true });

    // While the app is away, something that drops every connection on its port counts the sidecar's attempts.
    const attempts = await resettingServer(port);
    await waitFor('repeated attempts', () => attempts.count >= 2);
    await attempts.close();

    const back = await app(SUBSCRIPTIONS, {}, port);
    await waitFor('the delivery', () => back.at('/work').length === 1);
    expect(data(back)).toEqual([{ waited: true }]);
  });

  it('does not deliver a message whose ttlInSeconds passed while it waited', async () => {
    const first = await app(SUBSCRIPTIONS);
    const worker = await sidecar('worker-d', first.port);
    await worker.stop();
    await publish('work', { short: true }, '?metadata.ttlInSeconds=1');
    const published = Date.now();
    await publish('work', { long: true }, '?metadata.ttlInSeconds=60');
    // The expiration is at most a second after the publish (it is written in whole seconds, rounded down).
    await sleep(Math.max(0, published + 1050 - Date.now()));

    const next = await app(SUBSCRIPTIONS);
    await sidecar('worker-d', next.port);
    await waitFor('the unexpired message', () => next.at('/work').length === 1);
    expect(data(next)).toEqual([{ long: true }]);
  });
});

/** A TCP server that accepts and immediately drops connections, counting them. */
async function resettingServer(port: number): Promise<{ count: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const state = { count: 0 };
  const server: Server = createServer((socket) => {
    state.count++;
    sockets.add(socket);
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    get count() {
      return state.count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
