import { checkRepository, renderOverlays } from '../src/checks';
import { formatProblems } from '../src/problems';
import { repoFiles } from '../src/repo';

describe('the delivery files: k8s/, skaffold.yaml, the Dockerfiles', () => {
  it('render every overlay and pass every check', async () => {
    const problems = await checkRepository(repoFiles());
    expect(formatProblems(problems)).toBe('');
  });

  it('deploy each app with our sidecar on minikube and EKS, and with daprd injected on real Dapr', () => {
    const { overlays } = renderOverlays(repoFiles());
    const containers = (name: string) =>
      overlays
        .find((o) => o.name === name)!
        .resources.filter((r) => r.object.kind === 'Deployment' && r.object.metadata.name === 'order')
        .map((r) => (r.object['spec'] as { template: { spec: { containers: { name: string; image: string }[] } } }).template.spec.containers.map((c) => `${c.name}=${c.image}`));
    expect(containers('minikube')).toEqual([['app=order', 'sidecar=sidecar']]);
    expect(containers('eks')).toEqual([['app=000000000000.dkr.ecr.ap-northeast-1.amazonaws.com/dapr-template/order', 'sidecar=000000000000.dkr.ecr.ap-northeast-1.amazonaws.com/dapr-template/sidecar']]);
    expect(containers('dapr')).toEqual([['app=order']]);
  });
});
