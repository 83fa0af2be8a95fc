import { TOPIC_FLOW } from '@repo/contracts';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EKS_OVERLAY_DIR, EKS_RESOURCES_DIR } from '../src/eks-overlay';
import { loadInputs } from '../src/inputs';
import { REPO_ROOT } from './support/stack-config';

const ORDER_SUBSCRIPTION = path.join(EKS_RESOURCES_DIR, 'order-subscription.yaml');
const copies: string[] = [];

/** A copy of what the program reads from the repository, with one file edited. */
async function repoWith(file: string, edit: (text: string) => string): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'infra-inputs-'));
  copies.push(root);
  for (const dir of ['k8s/base', EKS_OVERLAY_DIR, EKS_RESOURCES_DIR]) await cp(path.join(REPO_ROOT, dir), path.join(root, dir), { recursive: true });
  const original = await readFile(path.join(REPO_ROOT, file), 'utf8');
  const edited = edit(original);
  if (edited === original) throw new Error(`the edit changed nothing in ${file}; has the file changed shape?`);
  await writeFile(path.join(root, file), edited);
  return root;
}

afterAll(() => Promise.all(copies.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('the SNS/SQS plan from the Subscription files', () => {
  it('gives every consumer in TOPIC_FLOW a queue fed by exactly the topics it consumes', async () => {
    const { plan } = await loadInputs(REPO_ROOT);
    const expected = new Map<string, string[]>();
    for (const [topic, { subscribers }] of Object.entries(TOPIC_FLOW)) subscribers.forEach((app) => expected.set(app, [...(expected.get(app) ?? []), topic]));
    expect(Object.fromEntries(plan.queues.map((q) => [q.appId, [...q.topics].sort()]))).toEqual(
      Object.fromEntries([...expected].map(([app, topics]) => [app, topics.sort()])),
    );
  });

  it("fails naming the app and the topic when one app's subscription is removed from the Subscription files", async () => {
    const root = await repoWith(ORDER_SUBSCRIPTION, (text) => text.replace(/^\s*- payment\s*$/m, ''));
    await expect(loadInputs(root)).rejects.toThrow(
      "app 'payment' consumes topic 'order' (libs/contracts TOPIC_FLOW) but no Subscription file subscribes it",
    );
  });

  it('fails naming the file when a Subscription file subscribes an app that TOPIC_FLOW does not list', async () => {
    const root = await repoWith(ORDER_SUBSCRIPTION, (text) => text.replace(/^(\s*)- payment\s*$/m, '$1- payment\n$1- cart'));
    await expect(loadInputs(root)).rejects.toThrow(`${ORDER_SUBSCRIPTION} subscribes app 'cart' to topic 'order'`);
  });
});
