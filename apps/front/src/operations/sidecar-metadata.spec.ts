import { summariseMetadata } from './sidecar-metadata';

describe('summariseMetadata', () => {
  it('reads components and subscriptions (routes from the routing rules) from daprd’s metadata answer', () => {
    const summary = summariseMetadata({
      id: 'stock',
      runtimeVersion: '1.16.0',
      components: [{ name: 'order-pubsub', type: 'pubsub.in-memory', version: 'v1', capabilities: [] }],
      subscriptions: [{ pubsubname: 'order-pubsub', topic: 'order', rules: [{ path: '/order' }], deadLetterTopic: '', type: 'DECLARATIVE' }],
    });
    expect(summary).toEqual({
      runtimeVersion: '1.16.0',
      components: [{ name: 'order-pubsub', type: 'pubsub.in-memory', version: 'v1' }],
      subscriptions: [{ pubsubname: 'order-pubsub', topic: 'order', routes: ['/order'], type: 'DECLARATIVE' }],
    });
  });

  it('reads a sidecar with no subscriptions (daprd omits the list) and tolerates junk', () => {
    expect(summariseMetadata({ components: [] })).toEqual({ runtimeVersion: '', components: [], subscriptions: [] });
    expect(summariseMetadata('nonsense')).toEqual({ runtimeVersion: '', components: [], subscriptions: [] });
  });
});
