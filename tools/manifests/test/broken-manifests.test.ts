import type { Problem } from '../src/problems';
import { edited, problemsWith } from './support/edits';

/** Each case breaks one thing a reviewer would catch, in memory, and expects the problem to name the file and field. */
function expectProblem(problems: Problem[], file: string, field: string | RegExp, message: string | RegExp): void {
  const match = problems.find((p) => p.file === file && (typeof field === 'string' ? p.field === field : field.test(p.field)) && (typeof message === 'string' ? p.message.includes(message) : message.test(p.message)));
  if (!match) throw new Error(`no problem in ${file} at ${String(field)} matching ${String(message)}; found:\n${problems.map((p) => `  ${p.file} | ${p.field} | ${p.message}`).join('\n')}`);
}

describe('a broken delivery file is caught, naming the file and the field', () => {
  it('an app port that is not the one dapr.yaml and the contracts give', async () => {
    const problems = await problemsWith(edited('k8s/base/apps/order.yaml', 'containerPort: 5004', 'containerPort: 5999'));
    expectProblem(problems, 'k8s/base/apps/order.yaml', 'spec.template.spec.containers[app].ports', 'has no containerPort 5004 (dapr.yaml apps[3].appPort)');
  });

  it("a sidecar told another app port than the app's", async () => {
    const problems = await problemsWith(edited('k8s/base/apps/cart.yaml', /- --app-port\n(\s+)- "5003"/, '- --app-port\n$1- "5030"'));
    expectProblem(problems, 'k8s/base/apps/cart.yaml', 'spec.template.spec.containers[sidecar].args', '--app-port is 5030 but dapr.yaml says 5003');
  });

  it('a Secret a Component reads that the overlay does not create', async () => {
    const problems = await problemsWith(edited('k8s/overlays/eks/kustomization.yaml', '  - redis-auth.yaml\n', ''));
    expectProblem(problems, 'k8s/components/eks/resources/cart.yaml', 'Component cart: spec.metadata[2].secretKeyRef', 'Secret dapr-template/redis-auth is not in k8s/overlays/eks');
  });

  it('a Secret without the key a Component reads', async () => {
    const problems = await problemsWith(edited('k8s/overlays/eks/redis-auth.yaml', 'password: REDIS_AUTH_TOKEN', 'token: REDIS_AUTH_TOKEN'));
    expectProblem(problems, 'k8s/components/eks/resources/order-store.yaml', 'Component order-store: spec.metadata[2].secretKeyRef', 'has no key password');
  });

  it('an image that skaffold does not build', async () => {
    const problems = await problemsWith(edited('k8s/base/apps/payment.yaml', 'image: payment\n', 'image: payments\n'));
    expectProblem(problems, 'k8s/base/apps/payment.yaml', 'spec.template.spec.containers[app].image', 'payments is not built by skaffold.yaml');
    expectProblem(problems, 'skaffold.yaml', 'build.artifacts[6].image', 'builds payment but no Deployment of k8s/overlays/minikube runs it');
  });

  it('an image built from another app’s Dockerfile', async () => {
    const problems = await problemsWith(edited('skaffold.yaml', 'dockerfile: apps/stock/Dockerfile', 'dockerfile: apps/order/Dockerfile'));
    expectProblem(problems, 'k8s/base/apps/stock.yaml', 'spec.template.spec.containers[app].image', 'but the app of stock is built by apps/stock/Dockerfile');
  });

  it('a misspelt field, which schema validation alone lets through', async () => {
    const problems = await problemsWith(edited('k8s/base/apps/svc-b.yaml', 'readinessProbe:', 'readinesProbe:'));
    expectProblem(problems, 'k8s/base/apps/svc-b.yaml', 'spec.template.spec.containers[0].readinesProbe', 'is not a field of this kind');
  });

  it('a probe on a path the app does not answer', async () => {
    const problems = await problemsWith(edited('k8s/base/apps/front.yaml', /path: \/healthz/, 'path: /health'));
    expectProblem(problems, 'k8s/base/apps/front.yaml', 'spec.template.spec.containers[app].readinessProbe.httpGet.path', 'is /health but the app answers /healthz');
  });

  it('a sidecar probe kubelet cannot reach (the API listens on loopback)', async () => {
    const problems = await problemsWith(edited('k8s/base/apps/svc-a.yaml', /port: dapr-public\n(\s+)periodSeconds: 5/, 'port: dapr-http\n$1periodSeconds: 5'));
    expectProblem(problems, 'k8s/base/apps/svc-a.yaml', 'spec.template.spec.containers[sidecar].readinessProbe.httpGet.port', 'is not where kubelet can reach the sidecar');
  });

  it('a component type the sidecar does not have', async () => {
    const problems = await problemsWith(edited('k8s/components/minikube/resources/cart.yaml', 'type: state.redis', 'type: state.rediss'));
    expectProblem(problems, 'k8s/components/minikube/resources/cart.yaml', 'document 1: spec.type', 'the sidecar has no component type state.rediss; it supports');
  });

  it('a Component without spec.metadata, which the Dapr CRD requires', async () => {
    const problems = await problemsWith(edited('k8s/components/minikube/resources/order-pubsub.yaml', '  metadata:\n    - name: natsURL\n      value: nats://nats:4222\n    - name: streamName\n      value: order-pubsub\n', ''));
    expectProblem(problems, 'k8s/components/minikube/resources/order-pubsub.yaml', 'document 1: spec', /required property 'metadata' \(Dapr's dapr.io\/v1alpha1\/Component CRD\)/);
  });

  it('a subscription route the app does not serve', async () => {
    const problems = await problemsWith(edited('k8s/components/eks/resources/order-subscription.yaml', 'route: /order', 'route: /orders'));
    expectProblem(problems, 'k8s/components/eks/resources/order-subscription.yaml', 'Subscription order-subscription: spec.route', 'is /orders but app stock serves topic order on /order');
  });

  it('a saga route the app moved in its code but not in the Subscription', async () => {
    const problems = await problemsWith(edited('apps/stock/src/allocations/allocation-events.controller.ts', "route: '/stock/reserveAllocate'", "route: '/stock/reserve'"));
    expectProblem(problems, 'k8s/components/minikube/resources/saga-subscriptions.yaml', 'Subscription stock-reserve-allocate: spec.route', 'is /stock/reserveAllocate but app stock serves topic stock-reserve-allocate on /stock/reserve');
  });

  it('a pub/sub Component scoped away from an app that uses it', async () => {
    const problems = await problemsWith(edited('k8s/components/minikube/resources/order-pubsub.yaml', '  - payment\n', ''));
    expectProblem(problems, 'k8s/components/minikube/resources/order-pubsub.yaml', 'Component order-pubsub', 'app payment publishes or consumes topics');
  });

  it('an app on EKS that loads SNS/SQS without an IAM role for its service account', async () => {
    const problems = await problemsWith(edited('k8s/overlays/eks/kustomization.yaml', 'arn:aws:iam::000000000000:role/dapr-template-stock', 'null'));
    expectProblem(problems, 'k8s/overlays/eks/kustomization.yaml', 'metadata.annotations.eks.amazonaws.com/role-arn', 'app stock loads order-pubsub (SNS/SQS) but its ServiceAccount has no IAM role');
  });

  it('a topic the JetStream stream does not carry', async () => {
    const problems = await problemsWith(edited('k8s/overlays/minikube/nats.yaml', ',create-order-reply', ''));
    expectProblem(problems, 'k8s/overlays/minikube/nats.yaml', 'spec.template.spec.containers[nats-stream].env.SUBJECTS', 'misses topics create-order-reply');
  });

  it('a Dapr annotation with the wrong app port', async () => {
    const problems = await problemsWith(edited('k8s/overlays/dapr/patches/stock.yaml', 'dapr.io/app-port: "5005"', 'dapr.io/app-port: "8080"'));
    expectProblem(problems, 'k8s/overlays/dapr/patches/stock.yaml', 'spec.template.metadata.annotations.dapr.io/app-port', 'is 8080 but must be "5005"');
  });

  it('a container running as root', async () => {
    const problems = await problemsWith(edited('k8s/base/apps/order.yaml', 'runAsNonRoot: true', 'runAsNonRoot: false'));
    expectProblem(problems, 'k8s/base/apps/order.yaml', 'spec.template.spec.securityContext.runAsNonRoot', 'must be true');
  });

  it('a Dockerfile that runs something else than dapr.yaml', async () => {
    const problems = await problemsWith(edited('apps/cart/Dockerfile', 'CMD ["node", "dist/main.js"]', 'CMD ["node", "dist/index.js"]'));
    expectProblem(problems, 'apps/cart/Dockerfile', 'CMD', 'runs ["node","dist/index.js"] but dapr.yaml runs ["node","dist/main.js"]');
  });

  it('a Dockerfile whose shared dependency stage drifted', async () => {
    const problems = await problemsWith(edited('apps/svc-a/Dockerfile', 'COPY libs/sidecar/package.json libs/sidecar/\n', ''));
    expectProblem(problems, 'apps/svc-a/Dockerfile', 'stage deps', 'but the npm workspaces are');
  });

  it('skaffold.yaml outside the v4beta13 schema', async () => {
    const problems = await problemsWith(edited('skaffold.yaml', 'dockerfile: apps/cart/Dockerfile', 'dockerfil: apps/cart/Dockerfile'));
    expectProblem(problems, 'skaffold.yaml', 'build.artifacts[3].docker.dockerfil', 'is not allowed here (skaffold/v4beta13 schema)');
  });

  it('a kustomization using a field kustomize v5 deprecated', async () => {
    const problems = await problemsWith(edited('k8s/overlays/minikube/kustomization.yaml', 'resources:', 'bases:'));
    expectProblem(problems, 'k8s/overlays/minikube/kustomization.yaml', 'bases', 'deprecated since kustomize v5; use resources');
  });
});
