import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cleanup, payloads, uniqueName } from './conformance/harness';
import { BROKER_TARGETS } from './conformance/targets';
import { messageIdOf, publishIds, startAppWithSidecar, startPublisher, waitForIds } from './support/broker-runs';
import { pubsubComponent, status } from './support/pubsub';
import { writeResources } from './support/sidecar-process';

/**
 * The article's point: swap the `order-pubsub` Component file from `pubsub.jetstream` to `pubsub.snssqs` (same
 * name) and nothing else changes. One resources folder, one subscriber app and one test body run twice; between
 * the runs only `order-pubsub.yaml` is rewritten.
 */

const run = uniqueName('swap');
const TOPIC = `${run}-order`;
const SUBSCRIBER = `${run}-stock`;
const ORDERS = payloads('order', 200);
/** Every tenth order is refused once (RETRY), so the broker's redelivery is part of what must not change. */
const refusedOnce = new Set(ORDERS.filter((_id, i) => i % 10 === 0));
const COMPONENT_FILE = 'order-pubsub.yaml';

const resourcesPath = writeResources({
  'subscription.yaml': [
    'apiVersion: dapr.io/v2alpha1',
    'kind: Subscription',
    'metadata: {name: order}',
    'spec:',
    '  pubsubname: order-pubsub',
    `  topic: ${TOPIC}`,
    '  routes: {default: /order}',
    `scopes: [${SUBSCRIBER}]`,
    '',
  ].join('\n'),
});

/** The only file that differs between the runs: the connection details of each broker, and its type. */
const SWAPS = [
  { type: 'pubsub.jetstream', component: pubsubComponent('order-pubsub', { natsURL: 'nats://127.0.0.1:4222' }, 'pubsub.jetstream') },
  {
    type: 'pubsub.snssqs',
    component: pubsubComponent(
      'order-pubsub',
      { endpoint: 'http://127.0.0.1:4566', region: 'us-east-1', accessKey: 'test', secretKey: 'test', messageVisibilityTimeout: '1', messageWaitTimeSeconds: '1' },
      'pubsub.snssqs',
    ),
  },
];

const target = (type: string) => BROKER_TARGETS.find((t) => t.type === type)!;

/** The stock app: it takes orders on /order, refusing each of `refusedOnce` the first time it sees it. */
async function startStock() {
  const seen = new Set<string>();
  const accepted = new Set<string>();
  const unit = await startAppWithSidecar({
    appId: SUBSCRIBER,
    resourcesPath,
    replies: {
      '/order': (req, res) => {
        const id = messageIdOf(req) ?? '';
        const refuse = !seen.has(id) && refusedOnce.has(id);
        seen.add(id);
        if (!refuse) accepted.add(id);
        return status(refuse ? 'RETRY' : 'SUCCESS')(req, res);
      },
    },
  });
  return { ...unit, accepted };
}

afterAll(async () => {
  // The stream JetStream made is named after the topic; every SNS topic and SQS queue starts with the run name.
  await target('pubsub.jetstream').cleanup(TOPIC, []);
  await target('pubsub.aws.snssqs').cleanup(run, []);
});

let folderBefore: Map<string, string> | undefined;
const folder = () => new Map(readdirSync(resourcesPath).map((name) => [name, readFileSync(join(resourcesPath, name), 'utf8')]));

describe.each(SWAPS)('the order-pubsub Component swapped to $type', ({ type, component }) => {
  const cleanup = new Cleanup();

  beforeAll(() => {
    writeFileSync(join(resourcesPath, COMPONENT_FILE), component);
  });
  afterAll(() => cleanup.run());

  it(
    'delivers every order to the unchanged stock app, redelivering the ones it refused once',
    async () => {
      const now = folder();
      folderBefore ??= now;
      // Nothing in the folder but the Component file differs from the first run.
      for (const [name, text] of folderBefore) if (name !== COMPONENT_FILE) expect({ name, text: now.get(name) }).toEqual({ name, text });

      const stock = await startStock();
      cleanup.defer(() => stock.stop());
      const publisher = await startPublisher(`${run}-order`, resourcesPath);
      cleanup.defer(() => publisher.stop());

      const components = ((await (await fetch(`${stock.sidecar.url}/v1.0/metadata`)).json()) as { components: { name: string; type: string }[] }).components;
      expect(components).toContainEqual(expect.objectContaining({ name: 'order-pubsub', type }));

      await publishIds(publisher.url, 'order-pubsub', TOPIC, ORDERS);
      // A refused order is only accepted once the broker hands it over again.
      await waitForIds('the orders the stock app accepted', ORDERS, () => stock.accepted, 60_000);
    },
    90_000,
  );
});
