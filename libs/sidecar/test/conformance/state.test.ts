import { EtagMismatchError, type SetRequest, type StateStore } from '../../src/components/state/state-store';
import { waitFor } from '../support/poll';
import { createStateStore, uniqueName } from './harness';
import { STATE_TARGETS } from './targets';

/**
 * components-contrib's state conformance cases (tests/conformance/state/state.go), at the StateStore interface,
 * for every state store: value kinds, etag and first-write, TTL, bulk get, transactions and their order.
 */
describe.each(STATE_TARGETS)('state conformance: $type', (target) => {
  const run = uniqueName('conf');
  let store: StateStore;
  let n = 0;
  /** A fresh key as the API hands it to a store: `appid||key`. */
  const key = (name: string) => `${run}||${name}-${++n}`;
  const set = (k: string, value: string, extra: Partial<SetRequest> = {}) => store.set({ key: k, value, concurrency: 'last-write', ...extra });
  const etagOf = async (k: string) => (await store.get(k))!.etag;

  beforeAll(async () => {
    store = await createStateStore(target.type, target.metadata(run));
  });
  afterAll(async () => {
    await store?.close();
    await target.cleanup(run);
  });

  it.each([
    ['an int', '123'],
    ['a bool', 'true'],
    ['a JSON-looking string', JSON.stringify('{"a":"b"}')],
    ['a plain string', JSON.stringify('hello world')],
    ['an empty string', JSON.stringify('')],
    ['a nested object', JSON.stringify({ id: 7, tags: ['a', 'b'], nested: { ok: false, n: 1.5, none: null } })],
  ])('reads back %s exactly as it was set', async (_kind, value) => {
    const k = key('kind');
    await set(k, value);
    const stored = await store.get(k);
    expect(stored?.value).toBe(value);
    expect(stored?.etag).toEqual(expect.any(String));
  });

  it('deletes a key, and deleting a missing key succeeds', async () => {
    const k = key('delete');
    await set(k, '1');
    await store.delete({ key: k, concurrency: 'last-write' });
    expect(await store.get(k)).toBeUndefined();
    await expect(store.delete({ key: key('never-set'), concurrency: 'last-write' })).resolves.toBeUndefined();
  });

  describe('etag', () => {
    it('refuses a set with a wrong etag and keeps the value', async () => {
      const k = key('etag');
      await set(k, '1');
      await expect(set(k, '2', { etag: target.badEtag })).rejects.toBeInstanceOf(EtagMismatchError);
      expect((await store.get(k))?.value).toBe('1');
    });

    it('accepts the current etag and gives the key a new one', async () => {
      const k = key('etag');
      await set(k, '1');
      const first = await etagOf(k);
      await set(k, '2', { etag: first });
      expect((await store.get(k))?.value).toBe('2');
      expect(await etagOf(k)).not.toBe(first);
      await expect(set(k, '3', { etag: first })).rejects.toBeInstanceOf(EtagMismatchError);
    });

    it('refuses a delete with a wrong etag and accepts the current one', async () => {
      const k = key('etag-delete');
      await set(k, '1');
      await expect(store.delete({ key: k, etag: target.badEtag, concurrency: 'last-write' })).rejects.toBeInstanceOf(EtagMismatchError);
      await store.delete({ key: k, etag: await etagOf(k), concurrency: 'last-write' });
      expect(await store.get(k)).toBeUndefined();
    });
  });

  describe('first-write', () => {
    it('creates a key once: a second first-write without an etag fails, with or without an empty etag', async () => {
      const k = key('first');
      await set(k, '1', { concurrency: 'first-write' });
      await expect(set(k, '2', { concurrency: 'first-write' })).rejects.toBeInstanceOf(EtagMismatchError);
      await expect(set(k, '2', { concurrency: 'first-write', etag: '' })).rejects.toBeInstanceOf(EtagMismatchError);
      expect((await store.get(k))?.value).toBe('1');
    });

    it('writes with the current etag, after which the old etag fails', async () => {
      const k = key('first');
      await set(k, '1', { concurrency: 'first-write' });
      const first = await etagOf(k);
      await set(k, '2', { concurrency: 'first-write', etag: first });
      expect(await etagOf(k)).not.toBe(first);
      await expect(set(k, '3', { concurrency: 'first-write', etag: first })).rejects.toBeInstanceOf(EtagMismatchError);
      expect((await store.get(k))?.value).toBe('2');
    });
  });

  describe('ttl', () => {
    it('gives no expiry time without a TTL', async () => {
      const k = key('ttl');
      await set(k, '1');
      expect((await store.get(k))?.expireTime).toBeUndefined();
    });

    it('reports the expiry time on get and bulk get, then expires the key', async () => {
      const k = key('ttl');
      await set(k, '1', { ttlSeconds: 1 });
      expect((await store.get(k))?.expireTime).toBeInstanceOf(Date);
      expect((await store.bulkGet([k]))[0]?.expireTime).toBeInstanceOf(Date);
      await waitFor('the key to expire', async () => (await store.get(k)) === undefined, 5000);
    });

    it('removes a TTL with ttlInSeconds -1, and when an overwrite leaves it out', async () => {
      const [a, b] = [key('ttl-remove'), key('ttl-omit')];
      await set(a, '1', { ttlSeconds: 100 });
      await set(b, '1', { ttlSeconds: 100 });
      await set(a, '2', { ttlSeconds: -1 });
      await set(b, '2');
      expect((await store.get(a))?.expireTime).toBeUndefined();
      expect((await store.get(b))?.expireTime).toBeUndefined();
    });
  });

  describe('bulk get', () => {
    it('answers an empty list with an empty list', async () => {
      expect(await store.bulkGet([])).toEqual([]);
    });

    it('answers every key in order, a missing one with no data', async () => {
      const [a, missing, b] = [key('bulk'), key('bulk-missing'), key('bulk')];
      await set(a, '"a"');
      await set(b, '"b"');
      const items = await store.bulkGet([a, missing, b]);
      expect(items.map((i) => i?.value)).toEqual(['"a"', undefined, '"b"']);
    });
  });

  describe('transactions', () => {
    const multi = (...args: Parameters<NonNullable<StateStore['multi']>>) => {
      if (!store.features.has('TRANSACTIONAL') || !store.multi) throw new Error(`${target.type} does not declare TRANSACTIONAL`);
      return store.multi(...args);
    };

    it('applies upserts and deletes together, and deleting a missing key succeeds', async () => {
      const [keep, gone, missing] = [key('tx'), key('tx'), key('tx-missing')];
      await set(gone, '0');
      await multi([
        { operation: 'upsert', request: { key: keep, value: '1', concurrency: 'last-write' } },
        { operation: 'delete', request: { key: gone, concurrency: 'last-write' } },
        { operation: 'delete', request: { key: missing, concurrency: 'last-write' } },
      ]);
      expect((await store.get(keep))?.value).toBe('1');
      expect(await store.get(gone)).toBeUndefined();
    });

    it('applies operations in their order: delete, upsert, delete, upsert of one key leaves the last value', async () => {
      const [k, removed] = [key('tx-order'), key('tx-order')];
      await set(k, '"old"');
      await multi([
        { operation: 'delete', request: { key: k, concurrency: 'last-write' } },
        { operation: 'upsert', request: { key: k, value: '"first"', concurrency: 'last-write' } },
        { operation: 'delete', request: { key: k, concurrency: 'last-write' } },
        { operation: 'upsert', request: { key: k, value: '"second"', concurrency: 'last-write' } },
        { operation: 'upsert', request: { key: removed, value: '1', concurrency: 'last-write' } },
        { operation: 'delete', request: { key: removed, concurrency: 'last-write' } },
      ]);
      expect((await store.get(k))?.value).toBe('"second"');
      expect(await store.get(removed)).toBeUndefined();
    });

    it('applies nothing when one operation has a wrong etag', async () => {
      const [a, b] = [key('tx-all'), key('tx-all')];
      await set(a, '1');
      await set(b, '1');
      await expect(
        multi([
          { operation: 'upsert', request: { key: a, value: '2', concurrency: 'last-write' } },
          { operation: 'upsert', request: { key: b, value: '2', etag: target.badEtag, concurrency: 'last-write' } },
        ]),
      ).rejects.toBeInstanceOf(EtagMismatchError);
      expect((await store.get(a))?.value).toBe('1');
      expect((await store.get(b))?.value).toBe('1');
    });
  });
});
