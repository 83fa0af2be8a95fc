import { DaprClient, DaprPubSubStatusEnum, DaprServer, LogLevel } from '@dapr/dapr';
import { waitFor } from './support/poll';
import { freePort } from './support/ports';
import { pubsubComponent } from './support/pubsub';
import { startSidecar, type SidecarProcess } from './support/sidecar-process';

/** The official JS SDK on both sides: DaprServer subscribes through the sidecar, DaprClient publishes. */
describe('@dapr/dapr against the sidecar', () => {
  let sidecar: SidecarProcess;
  let server: DaprServer;
  let client: DaprClient;
  const orders: unknown[] = [];
  const flaky: unknown[] = [];

  beforeAll(async () => {
    const appPort = await freePort();
    sidecar = await startSidecar({ appId: 'sdk-app', appPort, resources: { 'pubsub.yaml': pubsubComponent('pubsub', { redeliverInterval: '50ms' }) } });
    const clientOptions = { daprHost: '127.0.0.1', daprPort: String(sidecar.httpPort), logger: { level: LogLevel.Error } };
    server = new DaprServer({ serverHost: '127.0.0.1', serverPort: String(appPort), clientOptions, logger: { level: LogLevel.Error } });
    await server.pubsub.subscribe('pubsub', 'orders', async (data: unknown) => {
      orders.push(data);
    });
    await server.pubsub.subscribe('pubsub', 'flaky', async (data: unknown) => {
      flaky.push(data);
      return flaky.length === 1 ? DaprPubSubStatusEnum.RETRY : DaprPubSubStatusEnum.SUCCESS;
    });
    await server.start();
    await waitFor('the sidecar to be ready', async () => (await fetch(`${sidecar.url}/v1.0/healthz`)).status === 204);
    client = new DaprClient(clientOptions);
  });

  afterAll(async () => {
    await server?.stop();
    await sidecar?.stop();
  });

  it('subscribes through DaprServer’s generated routes', async () => {
    // The SDK's type for the metadata response leaves out `subscriptions`, which the sidecar does send.
    const metadata = (await client.metadata.get()) as unknown as { subscriptions: { rules: { path: string }[] }[] };
    const paths = metadata.subscriptions.flatMap((s) => s.rules.map((r) => r.path));
    expect(paths).toEqual(expect.arrayContaining([expect.stringMatching(/^\/pubsub--orders--/), expect.stringMatching(/^\/pubsub--flaky--/)]));
  });

  it('delivers what DaprClient.pubsub.publish sent to the DaprServer handler', async () => {
    await client.pubsub.publish('pubsub', 'orders', { id: '0001', name: 'sample' });
    await waitFor('the order', () => orders.length > 0);
    expect(orders).toEqual([{ id: '0001', name: 'sample' }]);
  });

  it('delivers every entry of DaprClient.pubsub.publishBulk', async () => {
    const res = await client.pubsub.publishBulk('pubsub', 'orders', [{ bulk: 1 }, { bulk: 2 }]);
    expect(res.failedMessages).toEqual([]);
    await waitFor('both bulk entries', () => orders.length === 3);
    expect(orders.slice(1)).toEqual(expect.arrayContaining([{ bulk: 1 }, { bulk: 2 }]));
  });

  it('gives a message back to a handler that returned RETRY', async () => {
    await client.pubsub.publish('pubsub', 'flaky', { attempt: 'me' });
    await waitFor('the redelivery', () => flaky.length === 2);
    expect(flaky).toEqual([{ attempt: 'me' }, { attempt: 'me' }]);
  });
});
