import { ResourceError } from '../errors';
import { resolveMetadata, type ResolveContext } from './resolve';
import type { ComponentResource, MetadataItem } from './types';

function componentWith(metadata: MetadataItem[], secretStore?: string): ComponentResource {
  return {
    kind: 'Component',
    name: 'c',
    type: 'state.in-memory',
    version: 'v1',
    initTimeoutMs: 5000,
    ignoreErrors: false,
    metadata,
    secretStore,
    scopes: [],
    origin: { file: 'c.yaml', document: 2 },
  };
}

/** A secret store with one secret, `redis` = {password: p4ss}. */
const context = (extra: Partial<ResolveContext> = {}): ResolveContext => ({
  appId: 'orders',
  env: { REDIS_HOST: 'redis:6379', POD_NAME: 'orders-7f9' },
  getSecret: async (store, name, key) => {
    if (store !== 'vault' || name !== 'redis' || key !== 'password') throw new Error(`secret ${name}/${key} not found in ${store}`);
    return 'p4ss';
  },
  ...extra,
});

describe('resolveMetadata', () => {
  it('expands the {appID}, {namespace}, {podName} and {uuid} templates in values', async () => {
    const out = await resolveMetadata(
      componentWith([
        { name: 'consumerID', value: '{appID}-group' },
        { name: 'ns', value: '{namespace}' },
        { name: 'pod', value: '{podName}' },
        { name: 'id', value: '{uuid}' },
        { name: 'plain', value: 'as is' },
      ]),
      context({ namespace: 'shop' }),
    );
    expect(out).toMatchObject({ consumerID: 'orders-group', ns: 'shop.orders', pod: 'orders-7f9', plain: 'as is' });
    expect(out['id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reads envRef from the environment, empty when unset', async () => {
    const out = await resolveMetadata(componentWith([{ name: 'host', envRef: 'REDIS_HOST' }, { name: 'none', envRef: 'NOT_SET' }]), context());
    expect(out).toEqual({ host: 'redis:6379', none: '' });
  });

  it('reads secretKeyRef through auth.secretStore', async () => {
    const out = await resolveMetadata(componentWith([{ name: 'redisPassword', secretKeyRef: { name: 'redis', key: 'password' } }], 'vault'), context());
    expect(out).toEqual({ redisPassword: 'p4ss' });
  });

  it('falls back to the default secret store (kubernetes mode) when auth.secretStore is not set', async () => {
    const out = await resolveMetadata(componentWith([{ name: 'pw', secretKeyRef: { name: 'redis', key: 'password' } }]), context({ defaultSecretStore: 'vault' }));
    expect(out).toEqual({ pw: 'p4ss' });
  });

  it('names the field when no secret store is given', async () => {
    const err = await resolveMetadata(componentWith([{ name: 'x', value: '1' }, { name: 'pw', secretKeyRef: { name: 'redis', key: 'password' } }]), context()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceError);
    expect(err).toMatchObject({ file: 'c.yaml', document: 2, field: 'spec.metadata[1].secretKeyRef' });
    expect((err as Error).message).toContain('set auth.secretStore');
  });

  it('names the field and the cause when the secret cannot be read', async () => {
    const err = await resolveMetadata(componentWith([{ name: 'pw', secretKeyRef: { name: 'redis', key: 'user' } }], 'vault'), context()).catch((e: unknown) => e);
    expect(err).toMatchObject({ field: 'spec.metadata[0].secretKeyRef' });
    expect((err as Error).message).toContain('cannot read secret redis/user from store vault: secret redis/user not found in vault');
  });
});
