import { ManifestError } from '../problems';
import { repoFiles } from '../repo';
import { buildKustomization } from './build';
import type { KObject } from './resource';

/** A small tree of in-memory files under a directory that does not exist in the repository. */
function tree(files: Record<string, string>) {
  return repoFiles(Object.fromEntries(Object.entries(files).map(([f, t]) => [`__spec__/${f}`, t])));
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, labels: {app.kubernetes.io/name: web}}
spec:
  replicas: 1
  selector: {matchLabels: {app.kubernetes.io/name: web}}
  template:
    metadata: {labels: {app.kubernetes.io/name: web}}
    spec:
      containers:
        - name: app
          image: web
          args: [--a, "1"]
          env: [{name: A, value: "1"}, {name: B, value: "2"}]
        - name: sidecar
          image: sidecar:1.0
      volumes:
        - {name: config, configMap: {name: settings}}
        - {name: tmp, emptyDir: {}}
`;
const service = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop, labels: {tier: edge}}
spec: {selector: {app.kubernetes.io/name: web}, ports: [{port: 80}]}
`;
const kustomization = (body: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;

function build(files: Record<string, string>, dir = 'overlay'): KObject[] {
  return buildKustomization(`__spec__/${dir}`, tree(files)).map((r) => r.object);
}

// Tests read deep into the objects they build; a loose type keeps them short.
type Loose = { [key: string]: Loose } & Loose[] & string;

function find(objects: KObject[], kind: string, name: string): KObject & { spec: Loose } {
  const o = objects.find((x) => x.kind === kind && x.metadata.name.startsWith(name));
  if (!o) throw new Error(`no ${kind} ${name}`);
  return o as KObject & { spec: Loose };
}

function errorOf(run: () => unknown): ManifestError {
  try {
    run();
  } catch (err) {
    if (err instanceof ManifestError) return err;
    throw err;
  }
  throw new Error('expected a ManifestError');
}

describe('buildKustomization', () => {
  const base = {
    'base/kustomization.yaml': kustomization('resources: [deployment.yaml, service.yaml]\n'),
    'base/deployment.yaml': deployment,
    'base/service.yaml': service,
  };

  it('collects resources from files and from other kustomization directories, namespaces first', () => {
    const objects = build({ ...base, 'overlay/kustomization.yaml': kustomization('resources: [../base, ns.yaml]\n'), 'overlay/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n' });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Namespace/shop', 'Service/web', 'Deployment/web']);
  });

  it('merges a strategic merge patch into containers and env by name and replaces plain lists', () => {
    const patch = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      containers:
        - name: app
          args: [--b]
          env: [{name: B, value: "3"}, {name: C, value: "4"}]
`;
    const d = find(build({ ...base, 'overlay/kustomization.yaml': kustomization('resources: [../base]\npatches: [{path: patch.yaml}]\n'), 'overlay/patch.yaml': patch }), 'Deployment', 'web');
    const app = d.spec.template.spec.containers[0];
    expect(app.args).toEqual(['--b']);
    expect(app.env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '3' }, { name: 'C', value: '4' }]);
    expect(d.spec.template.spec.containers[1].name).toBe('sidecar');
  });

  it('deletes list items and whole objects with $patch: delete, and keys set to null', () => {
    const patch = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: null
  template:
    spec:
      containers: [{name: sidecar, $patch: delete}]
      volumes: [{name: config, $patch: delete}]
`;
    const deleteService = '|-\n      apiVersion: v1\n      kind: Service\n      metadata: {name: web, namespace: shop}\n      $patch: delete';
    const objects = build({ ...base, 'overlay/kustomization.yaml': kustomization(`resources: [../base]\npatches:\n  - path: patch.yaml\n  - patch: ${deleteService}\n`), 'overlay/patch.yaml': patch });
    const d = find(objects, 'Deployment', 'web');
    expect(d.spec.replicas).toBeUndefined();
    expect(d.spec.template.spec.containers.map((c) => c.name)).toEqual(['app']);
    expect(d.spec.template.spec.volumes.map((v) => v.name)).toEqual(['tmp']);
    expect(objects.some((o) => o.kind === 'Service')).toBe(false);
  });

  it('drops a null the patch sets where the object has nothing to delete', () => {
    const patch = '|-\n      apiVersion: v1\n      kind: Service\n      metadata: {name: web, namespace: shop, annotations: {a: "1", b: null}}';
    const s = find(build({ ...base, 'overlay/kustomization.yaml': kustomization(`resources: [../base]\npatches:\n  - patch: ${patch}\n`) }), 'Service', 'web');
    expect(s.metadata.annotations).toEqual({ a: '1' });
  });

  it('applies a JSON 6902 patch to every object its target selects by label', () => {
    const k = kustomization(`resources: [../base]
patches:
  - target: {kind: Service, labelSelector: "tier in (edge, web)"}
    patch: |-
      - {op: add, path: /spec/type, value: LoadBalancer}
      - {op: replace, path: /spec/ports/0/port, value: 8080}
`);
    const s = find(build({ ...base, 'overlay/kustomization.yaml': k }), 'Service', 'web');
    expect(s.spec).toEqual({ selector: { 'app.kubernetes.io/name': 'web' }, ports: [{ port: 8080 }], type: 'LoadBalancer' });
  });

  it('refuses a patch that matches nothing, naming the kustomization and the patch', () => {
    const wrongNamespace = '|-\n      apiVersion: v1\n      kind: Service\n      metadata: {name: web}\n      spec: {type: NodePort}';
    const err = errorOf(() => build({ ...base, 'overlay/kustomization.yaml': kustomization(`resources: [../base]\npatches:\n  - patch: ${wrongNamespace}\n`) }));
    expect(err.file).toBe('__spec__/overlay/kustomization.yaml');
    expect(err.field).toBe('patches[0]');
    expect(err.detail).toContain('no resource matches Service default/web');
  });

  it('names the JSON 6902 operation that cannot apply', () => {
    const k = kustomization(`resources: [../base]\npatches:\n  - target: {kind: Service}\n    patch: '[{"op": "replace", "path": "/spec/nothing/here", "value": 1}]'\n`);
    expect(errorOf(() => build({ ...base, 'overlay/kustomization.yaml': k })).detail).toContain('operation 0 (replace /spec/nothing/here): no value at /spec/nothing/here');
  });

  it('generates a ConfigMap from files with a content hash in its name and renames the references to it', () => {
    const k = kustomization('resources: [../base]\nconfigMapGenerator:\n  - name: settings\n    namespace: shop\n    files: [conf/a.yaml, renamed.yaml=conf/b.yaml]\n');
    const objects = build({ ...base, 'overlay/kustomization.yaml': k, 'overlay/conf/a.yaml': 'a: 1\n', 'overlay/conf/b.yaml': 'b: 2\n' });
    const cm = find(objects, 'ConfigMap', 'settings');
    expect(cm['data']).toEqual({ 'a.yaml': 'a: 1\n', 'renamed.yaml': 'b: 2\n' });
    expect(cm.metadata.name).toMatch(/^settings-[a-z0-9]{10}$/);
    expect(find(objects, 'Deployment', 'web').spec.template.spec.volumes[0].configMap.name).toBe(cm.metadata.name);
  });

  it('changes the generated name when the content changes', () => {
    const files = (content: string) => ({ ...base, 'overlay/kustomization.yaml': kustomization('resources: [../base]\nconfigMapGenerator: [{name: settings, namespace: shop, files: [a.yaml]}]\n'), 'overlay/a.yaml': content });
    expect(find(build(files('a: 1\n')), 'ConfigMap', 'settings').metadata.name).not.toBe(find(build(files('a: 2\n')), 'ConfigMap', 'settings').metadata.name);
  });

  it('adds labels to objects and pod templates but not to selectors', () => {
    const k = kustomization('resources: [../base]\nlabels: [{pairs: {team: shop}, includeTemplates: true}]\n');
    const d = find(build({ ...base, 'overlay/kustomization.yaml': k }), 'Deployment', 'web');
    expect(d.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'web', team: 'shop' });
    expect(d.spec.template.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'web', team: 'shop' });
    expect(d.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'web' });
  });

  it('renames and retags only the images whose name matches exactly', () => {
    const k = kustomization('resources: [../base]\nimages:\n  - {name: web, newName: registry.example/shop/web}\n  - {name: sidecar, newTag: "2.0"}\n  - {name: we, newName: wrong}\n');
    const containers = find(build({ ...base, 'overlay/kustomization.yaml': k }), 'Deployment', 'web').spec.template.spec.containers;
    expect(containers.map((c) => c.image)).toEqual(['registry.example/shop/web', 'sidecar:2.0']);
  });

  it('refuses the same object twice, naming both files', () => {
    const err = errorOf(() => build({ ...base, 'overlay/kustomization.yaml': kustomization('resources: [../base, again.yaml]\n'), 'overlay/again.yaml': service }));
    expect(err.detail).toBe('Service shop/web from __spec__/overlay/again.yaml is already defined in __spec__/base/service.yaml');
  });

  it('refuses fields kustomize deprecated and fields it does not support', () => {
    expect(errorOf(() => build({ ...base, 'overlay/kustomization.yaml': kustomization('bases: [../base]\n') })).field).toBe('bases');
    expect(errorOf(() => build({ ...base, 'overlay/kustomization.yaml': kustomization('resources: [../base]\nnamePrefix: x-\n') })).field).toBe('namePrefix');
  });

  it('refuses files outside the kustomization directory and patch files with several documents', () => {
    expect(errorOf(() => build({ ...base, 'overlay/kustomization.yaml': kustomization('resources: [../base/service.yaml]\n') })).detail).toContain('is not in or below __spec__/overlay');
    const twoDocs = `${service}---\n${service}`;
    expect(errorOf(() => build({ ...base, 'overlay/kustomization.yaml': kustomization('resources: [../base]\npatches: [{path: p.yaml}]\n'), 'overlay/p.yaml': twoDocs })).detail).toBe('a patch must be one YAML document, found 2');
  });
});
