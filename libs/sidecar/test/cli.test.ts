import { runSidecarCommand, writeResources } from './support/sidecar-process';

describe('sidecar command line', () => {
  it('prints usage with --help and exits 0', async () => {
    const { code, stdout } = await runSidecarCommand(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--resources-path');
  });

  it('names an unknown flag in one line and exits 1', async () => {
    const { code, stderr } = await runSidecarCommand(['--app-id', 'a', '--no-such-flag']);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain("'--no-such-flag'");
  });

  it('refuses a bad port value', async () => {
    const { code, stderr } = await runSidecarCommand(['--app-id', 'a', '--app-port', 'eighty']);
    expect(code).toBe(1);
    expect(stderr).toContain('--app-port must be a whole number');
  });

  it('requires --app-id', async () => {
    const { code, stderr } = await runSidecarCommand(['--dapr-http-port', '0']);
    expect(code).toBe(1);
    expect(stderr).toContain('--app-id is required');
  });

  it('lists the supported types when a component type is unknown', async () => {
    const dir = writeResources({
      'bad.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: s}\nspec: {type: state.nope, version: v1}\n',
    });
    const { code, stderr } = await runSidecarCommand(['--app-id', 'a', '--dapr-http-port', '0', '--resources-path', dir]);
    expect(code).toBe(1);
    expect(stderr).toContain('bad.yaml (document 1), field spec.type: unknown component type state.nope; supported types:');
    expect(stderr).toContain('state.in-memory');
  });

  it('says pubsub.natsstreaming was removed and what replaces it', async () => {
    const dir = writeResources({
      'nats.yaml': '---\napiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: x}\nspec: {type: state.in-memory, version: v1}\n---\napiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: p}\nspec: {type: pubsub.natsstreaming, version: v1}\n',
    });
    const { code, stderr } = await runSidecarCommand(['--app-id', 'a', '--dapr-http-port', '0', '--resources-path', dir]);
    expect(code).toBe(1);
    expect(stderr).toContain('nats.yaml (document 2), field spec.type: pubsub.natsstreaming was removed in Dapr 1.13; use pubsub.jetstream instead');
  });

  it('names the file, document and field of an invalid resource', async () => {
    const dir = writeResources({
      'r.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: s}\nspec: {type: state.in-memory}\n',
    });
    const { code, stderr } = await runSidecarCommand(['--app-id', 'a', '--dapr-http-port', '0', '--resources-path', dir]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/r\.yaml \(document 1\), field spec\.version: /);
  });

  it("refuses a state store whose keyPrefix contains '||' at start-up, naming the component", async () => {
    const dir = writeResources({
      's.yaml': "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: carts}\nspec:\n  type: state.in-memory\n  version: v1\n  metadata: [{name: keyPrefix, value: 'a||b'}]\n",
    });
    const { code, stderr } = await runSidecarCommand(['--app-id', 'a', '--dapr-http-port', '0', '--resources-path', dir]);
    expect(code).toBe(1);
    expect(stderr).toContain("component carts: keyPrefix 'a||b' can't contain '||'");
  });
});
