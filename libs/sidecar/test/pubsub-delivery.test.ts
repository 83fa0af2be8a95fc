import { apiOf } from './support/api-call';
import { waitFor } from './support/poll';
import { httpStatus, inboundRetry, pubsubComponent, startSubscriberApp, status, type Reply, type SubscriberApp } from './support/pubsub';
import { startSidecar, type SidecarProcess } from './support/sidecar-process';

/**
 * How the app's answer decides a message's fate (daprd's table). `pubsub` retries twice, 10 ms apart, then
 * dead-letters; `plain` has no retry policy, so a failure goes straight back to the in-memory broker. Both
 * brokers redeliver a nacked message after 50 ms.
 */
const CASES: Record<string, Reply> = {
  empty: httpStatus(200),
  accepted: httpStatus(202),
  success: status('SUCCESS'),
  'no-status': (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"handled":true}'),
  'not-json': (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'),
  retry: status('RETRY'),
  unknown: status('MAYBE'),
  drop: status('DROP'),
  'not-found': httpStatus(404),
  'server-error': httpStatus(500),
};

describe('delivery to the app', () => {
  let app: SubscriberApp;
  let sidecar: SidecarProcess;
  let api: ReturnType<typeof apiOf>;
  let redeliveries = 0;

  beforeAll(async () => {
    app = await startSubscriberApp(
      [
        ...Object.keys(CASES).map((name) => ({ pubsubname: 'pubsub', topic: name, route: `/case/${name}`, deadLetterTopic: `dead-${name}` })),
        ...Object.keys(CASES).map((name) => ({ pubsubname: 'pubsub', topic: `dead-${name}`, route: `/dead/${name}` })),
        { pubsubname: 'plain', topic: 'redeliver', route: '/redeliver' },
        { pubsubname: 'pubsub', topic: 'no-dlq', route: 'no-dlq' },
        // v2: rules in order, then the default; and a rules-only subscription with a dead-letter topic.
        {
          pubsubname: 'pubsub',
          topic: 'routed',
          routes: {
            rules: [
              { match: 'event.type == "widget"', path: '/widgets' },
              { match: 'int(event.data.qty) > 10', path: '/bulk-orders' },
            ],
            default: '/orders',
          },
        },
        { pubsubname: 'pubsub', topic: 'rules-only', routes: { rules: [{ match: 'event.data.kind == "a"', path: '/kind-a' }] }, deadLetterTopic: 'unrouted' },
        { pubsubname: 'pubsub', topic: 'unrouted', route: '/unrouted' },
      ],
      {
        ...Object.fromEntries(Object.entries(CASES).map(([name, reply]) => [`/case/${name}`, reply])),
        '/redeliver': (req, res) => (++redeliveries === 1 ? status('RETRY')(req, res) : status('SUCCESS')(req, res)),
        '/no-dlq': status('RETRY'),
      },
    );
    sidecar = await startSidecar({
      appId: 'sub',
      appPort: app.port,
      waitForApp: true,
      env: { APP_API_TOKEN: 'app-secret' },
      resources: {
        'pubsub.yaml': pubsubComponent('pubsub', { redeliverInterval: '50ms' }),
        'plain.yaml': pubsubComponent('plain', { redeliverInterval: '50ms' }),
        'resiliency.yaml': inboundRetry('pubsub', 2),
      },
    });
    api = apiOf(sidecar.url);
    // Every case gets one message, then a marker: one subscriber is served in order, so once the marker is in,
    // the first message's fate (inline retries included) is settled.
    for (const name of Object.keys(CASES)) {
      await api('POST', `/v1.0/publish/pubsub/${name}`, { case: name });
      await api('POST', `/v1.0/publish/pubsub/${name}`, { marker: true });
    }
    for (const name of Object.keys(CASES)) {
      await waitFor(`the marker on ${name}`, () => app.events(`/case/${name}`).some((e) => (e['data'] as { marker?: boolean }).marker));
    }
  });

  afterAll(async () => {
    await sidecar?.stop();
    await app?.close();
  });

  const attempts = (name: string) => app.events(`/case/${name}`).filter((e) => (e['data'] as { case?: string }).case === name).length;
  const deadLetters = (name: string) => app.at(`/dead/${name}`).filter((r) => r.body.toString().includes(`"case":"${name}"`));

  it.each(['empty', 'accepted', 'success', 'no-status', 'not-json'])('acks after one delivery when the app answers %s', (name) => {
    expect(attempts(name)).toBe(1);
    expect(deadLetters(name)).toHaveLength(0);
  });

  it.each(['retry', 'unknown', 'server-error'])('retries %s under the inbound policy, then dead-letters the original bytes', async (name) => {
    const dead = await waitFor(`the dead letter of ${name}`, () => deadLetters(name).length > 0 && deadLetters(name));
    expect(attempts(name)).toBe(3);
    const original = app.at(`/case/${name}`)[0]!.body;
    expect(dead).toHaveLength(1);
    expect(dead[0]!.body.equals(original)).toBe(true);
  });

  it.each(['drop', 'not-found'])('drops on %s without retrying and dead-letters the original bytes', async (name) => {
    const dead = await waitFor(`the dead letter of ${name}`, () => deadLetters(name).length > 0 && deadLetters(name));
    expect(attempts(name)).toBe(1);
    expect(dead[0]!.body.equals(app.at(`/case/${name}`)[0]!.body)).toBe(true);
  });

  it('sends the cloudevents content type, pubsubname, the publisher’s metadata and the app token', async () => {
    await api('POST', '/v1.0/publish/pubsub/success?metadata.priority=high', { headers: true });
    const delivery = await waitFor('the delivery', () => app.at('/case/success').find((r) => r.body.toString().includes('"headers":true')));
    expect(delivery.headers).toMatchObject({ 'content-type': 'application/cloudevents+json', pubsubname: 'pubsub', priority: 'high', 'dapr-api-token': 'app-secret' });
    expect(delivery.headers['traceparent']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/);
    expect(app.at('/dapr/subscribe')[0]!.headers).toMatchObject({ 'dapr-app-id': 'sub', 'dapr-api-token': 'app-secret' });
  });

  it('hands a RETRY back to the broker, which redelivers, when there is no dead-letter topic or policy', async () => {
    await api('POST', '/v1.0/publish/plain/redeliver', { again: true });
    await waitFor('the redelivery', () => app.at('/redeliver').length >= 2);
    const [first, second] = app.at('/redeliver');
    expect(second!.body.equals(first!.body)).toBe(true);
  });

  it('keeps retrying a message with no dead-letter topic rather than losing it', async () => {
    await api('POST', '/v1.0/publish/pubsub/no-dlq', { kept: true });
    // Three attempts under the policy, then the broker hands it out again: a fourth attempt proves it was nacked.
    await waitFor('a redelivery after the retry budget', () => app.at('/no-dlq').length >= 4);
  });

  describe('routing', () => {
    it('sends each event to the first rule that matches, else to the default route', async () => {
      await api('POST', '/v1.0/publish/pubsub/routed?metadata.cloudevent.type=widget', { qty: 50 });
      await api('POST', '/v1.0/publish/pubsub/routed', { qty: 50 });
      await api('POST', '/v1.0/publish/pubsub/routed', { qty: 1 });
      await waitFor('three routed deliveries', () => app.at('/widgets').length + app.at('/bulk-orders').length + app.at('/orders').length >= 3);
      expect(app.events('/widgets')).toEqual([expect.objectContaining({ type: 'widget', data: { qty: 50 } })]);
      expect(app.events('/bulk-orders')).toEqual([expect.objectContaining({ type: 'com.dapr.event.sent', data: { qty: 50 } })]);
      expect(app.events('/orders')).toEqual([expect.objectContaining({ data: { qty: 1 } })]);
    });

    it('acks an event no rule matches without delivering it, sending it to the dead-letter topic', async () => {
      await api('POST', '/v1.0/publish/pubsub/rules-only', { kind: 'b' });
      await api('POST', '/v1.0/publish/pubsub/rules-only', { kind: 'a' });
      await waitFor('the matching event', () => app.at('/kind-a').length === 1);
      const unrouted = await waitFor('the unmatched event on the dead-letter topic', () => app.events('/unrouted').length > 0 && app.events('/unrouted'));
      expect(app.events('/kind-a')).toEqual([expect.objectContaining({ data: { kind: 'a' } })]);
      expect(unrouted).toEqual([expect.objectContaining({ data: { kind: 'b' } })]);
    });

    it('dead-letters an event whose rule cannot be evaluated', async () => {
      await api('POST', '/v1.0/publish/pubsub/rules-only', 'text, so event.data.kind does not exist', { 'content-type': 'text/plain' });
      await waitFor('the event on the dead-letter topic', () => app.events('/unrouted').some((e) => typeof e['data'] === 'string'));
    });
  });

  it('lists the programmatic subscriptions and their rules in /v1.0/metadata', async () => {
    const subscriptions = (await api('GET', '/v1.0/metadata')).json<{ subscriptions: Record<string, unknown>[] }>().subscriptions;
    expect(subscriptions).toContainEqual({
      pubsubname: 'pubsub',
      topic: 'routed',
      rules: [
        { match: 'event.type == "widget"', path: '/widgets' },
        { match: 'int(event.data.qty) > 10', path: '/bulk-orders' },
        { path: '/orders' },
      ],
      deadLetterTopic: '',
      type: 'PROGRAMMATIC',
    });
    expect(subscriptions).toContainEqual(expect.objectContaining({ topic: 'no-dlq', rules: [{ path: '/no-dlq' }] }));
  });
});
