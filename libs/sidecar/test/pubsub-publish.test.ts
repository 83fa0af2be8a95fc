import { apiOf } from './support/api-call';
import { waitFor } from './support/poll';
import { pubsubComponent, startSubscriberApp, type SubscriberApp } from './support/pubsub';
import { startSidecar, type SidecarProcess } from './support/sidecar-process';

// One sidecar publishing to itself through pubsub.in-memory; its app subscribes to a topic per case.
const TOPICS = ['json', 'binary', 'text', 'untyped', 'vendor', 'ce', 'overrides', 'traced', 'ttl', 'expired', 'raw-plain', 'put', 'a/b/c', 'bulk'];
const RFC3339_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/;
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const route = (topic: string) => `/t/${topic.replaceAll('/', '-')}`;

describe('publish', () => {
  let app: SubscriberApp;
  let sidecar: SidecarProcess;
  let api: ReturnType<typeof apiOf>;

  beforeAll(async () => {
    app = await startSubscriberApp([
      ...TOPICS.map((topic) => ({ pubsubname: 'pubsub', topic, route: route(topic) })),
      { pubsubname: 'pubsub', topic: 'raw-wrapped', route: '/t/raw-wrapped', metadata: { rawPayload: 'true' } },
    ]);
    sidecar = await startSidecar({
      appId: 'pub',
      appPort: app.port,
      waitForApp: true,
      resources: {
        'pubsub.yaml': pubsubComponent('pubsub'),
        'scoped.yaml': pubsubComponent('scoped', { publishingScopes: 'pub=open;other=closed' }),
        'limited.yaml': pubsubComponent('limited', { allowedTopics: 'a,b' }),
        'guarded.yaml': pubsubComponent('guarded', { protectedTopics: 'secret' }),
      },
    });
    api = apiOf(sidecar.url);
  });

  afterAll(async () => {
    await sidecar?.stop();
    await app?.close();
  });

  const delivered = (topic: string, count = 1) => waitFor(`${count} deliveries on ${topic}`, () => app.events(route(topic)).length >= count && app.events(route(topic)));

  it('wraps an application/json body in daprd’s envelope with the JSON as data', async () => {
    const res = await api('POST', '/v1.0/publish/pubsub/json', { id: '0001', name: 'sample', big: 1 });
    expect(res.status).toBe(204);
    const [event] = await delivered('json');
    expect(event).toEqual({
      data: { id: '0001', name: 'sample', big: 1 },
      datacontenttype: 'application/json',
      id: expect.stringMatching(UUID),
      pubsubname: 'pubsub',
      source: 'pub',
      specversion: '1.0',
      time: expect.stringMatching(RFC3339_SECONDS),
      topic: 'json',
      traceid: expect.stringMatching(TRACEPARENT),
      traceparent: event!['traceid'],
      tracestate: '',
      type: 'com.dapr.event.sent',
    });
    const delivery = app.at(route('json'))[0]!;
    expect(delivery.headers['content-type']).toBe('application/cloudevents+json');
    expect(delivery.headers['pubsubname']).toBe('pubsub');
    expect(delivery.headers['traceparent']).toBe(event!['traceparent']);
  });

  it('sends an octet-stream body as data_base64', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    await api('POST', '/v1.0/publish/pubsub/binary', bytes, { 'content-type': 'application/octet-stream' });
    const [event] = await delivered('binary');
    expect(event!['data_base64']).toBe(bytes.toString('base64'));
    expect(event).not.toHaveProperty('data');
    expect(event!['datacontenttype']).toBe('application/octet-stream');
  });

  it('sends text as a JSON string, with text/plain when no content type is given', async () => {
    await api('POST', '/v1.0/publish/pubsub/text', 'hello <world>', { 'content-type': 'text/plain; charset=utf-8' });
    const untyped = await fetch(`${sidecar.url}/v1.0/publish/pubsub/untyped`, { method: 'POST', body: Buffer.from('{"looks":"json"}') });
    expect(untyped.status).toBe(204);
    const [text] = await delivered('text');
    const [plain] = await delivered('untyped');
    expect(text).toMatchObject({ data: 'hello <world>', datacontenttype: 'text/plain; charset=utf-8' });
    expect(plain).toMatchObject({ data: '{"looks":"json"}', datacontenttype: 'text/plain' });
  });

  it('treats other +json types as text, as daprd does', async () => {
    await api('POST', '/v1.0/publish/pubsub/vendor', '{"a":1}', { 'content-type': 'application/vnd.acme+json' });
    const [event] = await delivered('vendor');
    expect(event).toMatchObject({ data: '{"a":1}', datacontenttype: 'application/vnd.acme+json' });
  });

  it('passes a cloudevents+json body through, overwriting topic and pubsubname and adding only what is missing', async () => {
    const published = { specversion: '1.0', id: 'my-id', source: 'my-source', type: 'my.type', topic: 'elsewhere', pubsubname: 'other', myext: 'kept', data: { x: 1 } };
    await api('POST', '/v1.0/publish/pubsub/ce', published, { 'content-type': 'application/cloudevents+json' });
    await api('POST', '/v1.0/publish/pubsub/ce', { data: 'no id' }, { 'content-type': 'application/cloudevents+json' });
    const [first, second] = await delivered('ce', 2);
    expect(first).toMatchObject({ ...published, topic: 'ce', pubsubname: 'pubsub', time: expect.stringMatching(RFC3339_SECONDS), traceid: expect.stringMatching(TRACEPARENT) });
    expect(second).toMatchObject({ data: 'no id', source: 'Dapr', type: 'com.dapr.event.sent', specversion: '1.0', topic: 'ce' });
    expect(second).not.toHaveProperty('id');
  });

  it('answers 500 ERR_PUBSUB_CLOUD_EVENTS_SER for a cloudevents+json body that is not JSON', async () => {
    const res = await api('POST', '/v1.0/publish/pubsub/ce', '{not json', { 'content-type': 'application/cloudevents+json' });
    expect(res.status).toBe(500);
    expect(res.json()).toMatchObject({ errorCode: 'ERR_PUBSUB_CLOUD_EVENTS_SER' });
  });

  it('takes metadata.cloudevent.* as envelope overrides', async () => {
    const query = 'metadata.cloudevent.id=fixed-id&metadata.cloudevent.source=billing&metadata.cloudevent.type=invoice.paid&metadata.cloudevent.subject=inv-7';
    await api('POST', `/v1.0/publish/pubsub/overrides?${query}`, { n: 1 });
    const [event] = await delivered('overrides');
    expect(event).toMatchObject({ id: 'fixed-id', source: 'billing', type: 'invoice.paid', subject: 'inv-7' });
  });

  it('continues the caller’s trace and keeps its tracestate', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await api('POST', '/v1.0/publish/pubsub/traced', { n: 1 }, { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, tracestate: 'acme=1' });
    const [event] = await delivered('traced');
    expect(event!['traceparent']).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(event!['traceparent']).not.toBe(`00-${traceId}-00f067aa0ba902b7-01`);
    expect(event!['tracestate']).toBe('acme=1');
  });

  it('writes expiration from metadata.ttlInSeconds', async () => {
    const before = Date.now();
    await api('POST', '/v1.0/publish/pubsub/ttl?metadata.ttlInSeconds=120', { n: 1 });
    const [event] = await delivered('ttl');
    const expiration = Date.parse(event!['expiration'] as string);
    expect(event!['expiration']).toMatch(/Z$/);
    expect(expiration).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 120_000);
    expect(expiration).toBeLessThanOrEqual(Date.now() + 120_000);
  });

  it('does not deliver an event whose expiration has passed', async () => {
    const expiredEvent = { specversion: '1.0', id: 'old', source: 's', type: 't', expiration: '2020-01-01T00:00:00Z', data: 'stale' };
    await api('POST', '/v1.0/publish/pubsub/expired', expiredEvent, { 'content-type': 'application/cloudevents+json' });
    await api('POST', '/v1.0/publish/pubsub/expired?metadata.ttlInSeconds=60', { fresh: true });
    // One subscriber gets its messages in order, so the stale event was handled before the fresh one arrived.
    await delivered('expired');
    expect(app.events(route('expired'))).toEqual([expect.objectContaining({ data: { fresh: true } })]);
  });

  it('publishes the bytes as they are with metadata.rawPayload=true', async () => {
    const body = '{"legacy":"payload"}';
    expect((await api('POST', '/v1.0/publish/pubsub/raw-plain?metadata.rawPayload=true', body, { 'content-type': 'application/json' })).status).toBe(204);
    await delivered('raw-plain');
    expect(app.at(route('raw-plain'))[0]!.body.toString()).toBe(body);
  });

  it('wraps the message in a data_base64 event for a rawPayload subscription', async () => {
    const body = 'not json at all';
    await api('POST', '/v1.0/publish/pubsub/raw-wrapped?metadata.rawPayload=true', body, { 'content-type': 'text/plain' });
    const [event] = await waitFor('the wrapped delivery', () => app.events('/t/raw-wrapped').length > 0 && app.events('/t/raw-wrapped'));
    expect(event).toEqual({
      data_base64: Buffer.from(body).toString('base64'),
      datacontenttype: 'application/octet-stream',
      id: expect.stringMatching(UUID),
      pubsubname: 'pubsub',
      source: 'Dapr',
      specversion: '1.0',
      topic: 'raw-wrapped',
      type: 'com.dapr.event.sent',
    });
  });

  it('answers 400 ERR_PUBSUB_REQUEST_METADATA when rawPayload is not a boolean', async () => {
    const res = await api('POST', '/v1.0/publish/pubsub/json?metadata.rawPayload=maybe', { n: 1 });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ errorCode: 'ERR_PUBSUB_REQUEST_METADATA', message: expect.stringContaining("rawPayload value must be a valid boolean: actual is 'maybe'") });
  });

  it('accepts PUT and topics that contain slashes', async () => {
    expect((await api('PUT', '/v1.0/publish/pubsub/put', { n: 1 })).status).toBe(204);
    expect((await api('POST', '/v1.0/publish/pubsub/a/b/c', { n: 2 })).status).toBe(204);
    expect((await delivered('put'))[0]).toMatchObject({ topic: 'put' });
    expect((await delivered('a/b/c'))[0]).toMatchObject({ topic: 'a/b/c', data: { n: 2 } });
  });

  it('answers 404 ERR_PUBSUB_NOT_FOUND for an unknown pub/sub', async () => {
    const res = await api('POST', '/v1.0/publish/nope/orders', { n: 1 });
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ errorCode: 'ERR_PUBSUB_NOT_FOUND', message: 'pubsub nope is not found', details: [expect.objectContaining({ domain: 'dapr.io' })] });
  });

  it('answers 404 ERR_TOPIC_NAME_EMPTY when the topic is missing', async () => {
    const res = await api('POST', '/v1.0/publish/pubsub/', { n: 1 });
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ errorCode: 'ERR_TOPIC_NAME_EMPTY', message: 'topic is empty in pubsub pubsub' });
  });

  it('answers 403 ERR_PUBSUB_FORBIDDEN outside publishingScopes, allowedTopics and protectedTopics', async () => {
    const forbidden = [
      await api('POST', '/v1.0/publish/scoped/closed', { n: 1 }),
      await api('POST', '/v1.0/publish/limited/c', { n: 1 }),
      await api('POST', '/v1.0/publish/guarded/secret', { n: 1 }),
    ];
    for (const res of forbidden) {
      expect(res.status).toBe(403);
      expect(res.json()).toMatchObject({ errorCode: 'ERR_PUBSUB_FORBIDDEN' });
    }
    expect(forbidden[0]!.json()).toMatchObject({ message: 'topic closed is not allowed for app id pub' });
    const allowed = [
      await api('POST', '/v1.0/publish/scoped/open', { n: 1 }),
      await api('POST', '/v1.0/publish/limited/a', { n: 1 }),
      await api('POST', '/v1.0/publish/guarded/public', { n: 1 }),
    ];
    expect(allowed.map((r) => r.status)).toEqual([204, 204, 204]);
  });

  describe('bulk', () => {
    it('publishes every entry as its own event, reading entryId in any case', async () => {
      const entries = [
        { entryID: '1', event: { id: 'order-1' }, contentType: 'application/json' },
        { entryId: '2', event: 'plain text', contentType: 'text/plain' },
        { EntryId: '3', event: Buffer.from('bin').toString('base64'), contentType: 'application/octet-stream' },
        { entryId: '4', event: { specversion: '1.0', id: 'ce-4', source: 's', type: 't', data: 4 }, contentType: 'application/cloudevents+json', metadata: { 'cloudevent.id': 'ignored-for-ce' } },
        { entryId: '5', event: { n: 5 }, contentType: 'application/json', metadata: { 'cloudevent.id': 'entry-5' } },
      ];
      const res = await api('POST', '/v1.0-alpha1/publish/bulk/pubsub/bulk', entries);
      expect(res.status).toBe(204);
      const events = await delivered('bulk', 5);
      const byData = (pred: (e: Record<string, unknown>) => boolean) => events.find(pred);
      expect(byData((e) => (e['data'] as { id?: string })?.id === 'order-1')).toMatchObject({ datacontenttype: 'application/json', source: 'pub', topic: 'bulk' });
      expect(byData((e) => e['data'] === 'plain text')).toMatchObject({ datacontenttype: 'text/plain' });
      expect(byData((e) => e['data_base64'] === Buffer.from('bin').toString('base64'))).toBeDefined();
      expect(byData((e) => e['id'] === 'ce-4')).toMatchObject({ data: 4, topic: 'bulk', pubsubname: 'pubsub' });
      expect(byData((e) => e['id'] === 'entry-5')).toMatchObject({ data: { n: 5 } });
      const traces = new Set(events.map((e) => e['traceparent']));
      expect(traces.size).toBe(events.length);
    });

    it('is also served on /v1.0/publish/bulk', async () => {
      const res = await api('PUT', '/v1.0/publish/bulk/pubsub/bulk', [{ entryId: 'x', event: { v1: true }, contentType: 'application/json' }]);
      expect(res.status).toBe(204);
    });

    it('answers 400 ERR_PUBSUB_EVENTS_SER for a missing or repeated entryId and for an event that does not fit its content type', async () => {
      const bad = [
        [{ event: 1, contentType: 'application/json' }],
        [
          { entryId: 'same', event: 1, contentType: 'application/json' },
          { entryId: 'same', event: 2, contentType: 'application/json' },
        ],
        [{ entryId: '1', event: { not: 'text' }, contentType: 'text/plain' }],
        [{ entryId: '1', event: 'not base64!', contentType: 'application/octet-stream' }],
        { not: 'a list' },
      ];
      for (const body of bad) {
        const res = await api('POST', '/v1.0-alpha1/publish/bulk/pubsub/bulk', body);
        expect(res.status).toBe(400);
        expect(res.json()).toMatchObject({ errorCode: 'ERR_PUBSUB_EVENTS_SER' });
      }
    });

    it('answers 404 for an unknown pub/sub and 403 for a forbidden topic', async () => {
      const entries = [{ entryId: '1', event: 1, contentType: 'application/json' }];
      const notFound = await api('POST', '/v1.0-alpha1/publish/bulk/nope/bulk', entries);
      const forbidden = await api('POST', '/v1.0-alpha1/publish/bulk/scoped/closed', entries);
      expect([notFound.status, notFound.json<{ errorCode: string }>().errorCode]).toEqual([404, 'ERR_PUBSUB_NOT_FOUND']);
      expect([forbidden.status, forbidden.json<{ errorCode: string }>().errorCode]).toEqual([403, 'ERR_PUBSUB_FORBIDDEN']);
    });
  });
});
