import { apiOf } from './support/api-call';
import { waitFor } from './support/poll';
import { inboundRetry, pubsubComponent, startSubscriberApp, type SubscriberApp } from './support/pubsub';
import { startSidecar, type SidecarProcess } from './support/sidecar-process';

const subscription = (name: string, spec: string, scopes: string[] = []) =>
  `apiVersion: dapr.io/v2alpha1\nkind: Subscription\nmetadata: {name: ${name}}\nspec:\n${spec}\nscopes: [${scopes.join(', ')}]\n`;

interface BulkRequest {
  id: string;
  type: string;
  topic: string;
  pubsubname: string;
  entries: { entryId: string; event: { data: { n: number } }; contentType: string; metadata: Record<string, string> }[];
}

describe('subscriptions', () => {
  let app: SubscriberApp;
  let sidecar: SidecarProcess;
  let api: ReturnType<typeof apiOf>;
  const retriedOnce = new Set<number>();

  beforeAll(async () => {
    app = await startSubscriberApp(
      [
        { pubsubname: 'pubsub', topic: 'programmatic', route: '/programmatic' },
        { pubsubname: 'pubsub', topic: 'bulk-dead', route: '/bulk-dead' },
      ],
      {
        // Bulk entries answer by their number: 1 SUCCESS, 2 DROP, 3 RETRY the first time.
        '/bulk': (req, res) => {
          const body = JSON.parse(req.body.toString()) as BulkRequest;
          const statuses = body.entries.map((e) => {
            const n = e.event.data.n;
            const status = n === 1 ? 'SUCCESS' : n === 2 ? 'DROP' : retriedOnce.has(n) ? 'SUCCESS' : (retriedOnce.add(n), 'RETRY');
            return { entryId: e.entryId, status };
          });
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ statuses }));
        },
      },
    );
    sidecar = await startSidecar({
      appId: 'sub-a',
      appPort: app.port,
      waitForApp: true,
      resources: {
        'pubsub.yaml': pubsubComponent('pubsub', { redeliverInterval: '50ms' }),
        'limited.yaml': pubsubComponent('limited', { subscriptionScopes: 'sub-a=allowed;other=forbidden' }),
        'resiliency.yaml': inboundRetry('pubsub', 2),
        'declared.yaml': subscription('declared', '  pubsubname: pubsub\n  topic: declared\n  routes: {default: /declared}', ['sub-a', 'sub-b']),
        'declared-v1.yaml':
          'apiVersion: dapr.io/v1alpha1\nkind: Subscription\nmetadata: {name: declared-v1}\nspec:\n  pubsubname: pubsub\n  topic: declared-v1\n  route: declared-v1\n  metadata: {priority: high}\n',
        'not-mine.yaml': subscription('not-mine', '  pubsubname: pubsub\n  topic: not-mine\n  routes: {default: /not-mine}', ['other-app']),
        'allowed.yaml': subscription('allowed', '  pubsubname: limited\n  topic: allowed\n  routes: {default: /allowed}'),
        'forbidden.yaml': subscription('forbidden', '  pubsubname: limited\n  topic: forbidden\n  routes: {default: /forbidden}'),
        'bulk.yaml': subscription(
          'bulk',
          '  pubsubname: pubsub\n  topic: bulk\n  routes: {default: /bulk}\n  deadLetterTopic: bulk-dead\n  bulkSubscribe: {enabled: true, maxMessagesCount: 3, maxAwaitDurationMs: 200}',
        ),
      },
    });
    api = apiOf(sidecar.url);
  });

  afterAll(async () => {
    await sidecar?.stop();
    await app?.close();
  });

  it('runs programmatic and declarative (v2alpha1 and v1alpha1) subscriptions together', async () => {
    await api('POST', '/v1.0/publish/pubsub/programmatic', { kind: 'programmatic' });
    await api('POST', '/v1.0/publish/pubsub/declared', { kind: 'declared' });
    await api('POST', '/v1.0/publish/pubsub/declared-v1', { kind: 'v1' });
    await waitFor('all three deliveries', () => [app.at('/programmatic'), app.at('/declared'), app.at('/declared-v1')].every((d) => d.length > 0));
    expect(app.events('/declared')[0]).toMatchObject({ data: { kind: 'declared' }, topic: 'declared' });
    expect(app.events('/declared-v1')[0]).toMatchObject({ data: { kind: 'v1' } });
  });

  it('lists each subscription in /v1.0/metadata with its type', async () => {
    const { subscriptions } = (await api('GET', '/v1.0/metadata')).json<{ subscriptions: Record<string, unknown>[] }>();
    expect(subscriptions).toContainEqual({ pubsubname: 'pubsub', topic: 'programmatic', rules: [{ path: '/programmatic' }], deadLetterTopic: '', type: 'PROGRAMMATIC' });
    expect(subscriptions).toContainEqual({ pubsubname: 'pubsub', topic: 'declared', rules: [{ path: '/declared' }], deadLetterTopic: '', type: 'DECLARATIVE' });
    expect(subscriptions).toContainEqual({
      pubsubname: 'pubsub',
      topic: 'declared-v1',
      metadata: { priority: 'high' },
      rules: [{ path: '/declared-v1' }],
      deadLetterTopic: '',
      type: 'DECLARATIVE',
    });
    expect(subscriptions).toContainEqual(expect.objectContaining({ topic: 'bulk', deadLetterTopic: 'bulk-dead', type: 'DECLARATIVE' }));
  });

  it('gives an app nothing from a Subscription scoped to other apps', async () => {
    await api('POST', '/v1.0/publish/pubsub/not-mine', { n: 1 });
    await api('POST', '/v1.0/publish/pubsub/declared', { after: true });
    await waitFor('the later delivery', () => app.events('/declared').some((e) => (e['data'] as { after?: boolean }).after));
    expect(app.at('/not-mine')).toHaveLength(0);
    const { subscriptions } = (await api('GET', '/v1.0/metadata')).json<{ subscriptions: { topic: string }[] }>();
    expect(subscriptions.map((s) => s.topic)).not.toContain('not-mine');
  });

  it('starts only the subscriptions the component’s subscriptionScopes allow this app', async () => {
    const { subscriptions } = (await api('GET', '/v1.0/metadata')).json<{ subscriptions: { pubsubname: string; topic: string }[] }>();
    const limited = subscriptions.filter((s) => s.pubsubname === 'limited').map((s) => s.topic);
    expect(limited).toEqual(['allowed']);
    await api('POST', '/v1.0/publish/limited/allowed', { n: 1 });
    await waitFor('the allowed delivery', () => app.at('/allowed').length === 1);
  });

  it('delivers a batch in one request and settles each entry by its status', async () => {
    const entries = [1, 2, 3].map((n) => ({ entryId: `e${n}`, event: { n }, contentType: 'application/json' }));
    expect((await api('POST', '/v1.0-alpha1/publish/bulk/pubsub/bulk', entries)).status).toBe(204);
    await waitFor('the retried entry', () => app.at('/bulk').length >= 2);
    const [first, second] = app.at('/bulk').map((r) => ({ headers: r.headers, body: JSON.parse(r.body.toString()) as BulkRequest }));
    expect(first!.headers['content-type']).toBe('application/json');
    expect(first!.body).toMatchObject({ type: 'com.dapr.event.sent.bulk', topic: 'bulk', pubsubname: 'pubsub' });
    expect(first!.body.entries.map((e) => e.event.data.n).sort()).toEqual([1, 2, 3]);
    expect(first!.body.entries[0]).toMatchObject({ entryId: expect.any(String), contentType: 'application/cloudevents+json', event: { topic: 'bulk', source: 'sub-a' } });
    // Only the entry that asked for RETRY comes again; the dropped one goes to the dead-letter topic.
    expect(second!.body.entries.map((e) => e.event.data.n)).toEqual([3]);
    const dead = await waitFor('the dropped entry on the dead-letter topic', () => app.events('/bulk-dead').length > 0 && app.events('/bulk-dead'));
    expect(dead).toEqual([expect.objectContaining({ data: { n: 2 } })]);
  });
});
