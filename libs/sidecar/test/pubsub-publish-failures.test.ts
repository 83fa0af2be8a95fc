import { createSidecar, type Sidecar } from '../src';
import { registerComponentType } from '../src/components/registry';
import type { PubSub, PubSubFeature, PublishRequest } from '../src/components/pubsub/pubsub';
import { apiOf } from './support/api-call';
import { pubsubComponent } from './support/pubsub';
import { newRegistryDir, writeResources } from './support/sidecar-process';

/** A real broker implementation that refuses any message mentioning "refuse", as a full or failing broker would. */
class RefusingBroker implements PubSub {
  readonly features = new Set<PubSubFeature>();
  readonly accepted: PublishRequest[] = [];

  publish(req: PublishRequest): Promise<void> {
    if (req.data.toString().includes('refuse')) return Promise.reject(new Error('broker refused the message'));
    this.accepted.push(req);
    return Promise.resolve();
  }

  subscribe(): Promise<() => Promise<void>> {
    return Promise.resolve(() => Promise.resolve());
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

describe('publishing to a broker that fails', () => {
  const broker = new RefusingBroker();
  let sidecar: Sidecar;
  let api: ReturnType<typeof apiOf>;

  beforeAll(async () => {
    registerComponentType('pubsub.test-refusing', 'pubsub', async () => () => broker);
    const resourcesPath = writeResources({ 'broker.yaml': pubsubComponent('refusing', {}, 'pubsub.test-refusing') });
    sidecar = createSidecar({ appId: 'pub', daprHttpPort: 0, resourcesPaths: [resourcesPath], registryDir: newRegistryDir(), logLevel: 'error' });
    await sidecar.start();
    api = apiOf(`http://127.0.0.1:${sidecar.httpPort}`);
  });

  afterAll(() => sidecar?.stop());

  it('answers 500 ERR_PUBSUB_PUBLISH_MESSAGE naming the topic, the pub/sub and the broker’s error', async () => {
    const res = await api('POST', '/v1.0/publish/refusing/orders', { please: 'refuse' });
    expect(res.status).toBe(500);
    expect(res.json()).toMatchObject({
      errorCode: 'ERR_PUBSUB_PUBLISH_MESSAGE',
      message: 'error when publishing to topic orders in pubsub refusing: broker refused the message',
    });
  });

  it('reports the entries of a bulk publish that failed, and publishes the others', async () => {
    const before = broker.accepted.length;
    const res = await api('POST', '/v1.0-alpha1/publish/bulk/refusing/orders', [
      { entryID: 'good-1', event: { ok: 1 }, contentType: 'application/json' },
      { entryID: 'bad', event: { please: 'refuse' }, contentType: 'application/json' },
      { entryID: 'good-2', event: 'fine', contentType: 'text/plain' },
    ]);
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ failedEntries: [{ entryId: 'bad', error: 'broker refused the message' }], errorCode: 'ERR_PUBSUB_PUBLISH_MESSAGE' });
    expect(broker.accepted.length - before).toBe(2);
  });
});
