import { DaprError } from '../../errors';
import { keyScheme } from './keys';

const ids = { appId: 'cart', storeName: 'statestore' };

describe('keyScheme (the keyPrefix built-in)', () => {
  it('prefixes with the app id by default and for appid, in any case', () => {
    expect(keyScheme(undefined, ids).toStoreKey('k')).toBe('cart||k');
    expect(keyScheme('AppID', ids).toStoreKey('k')).toBe('cart||k');
  });

  it('prefixes with the store name for name', () => {
    expect(keyScheme('name', ids).toStoreKey('k')).toBe('statestore||k');
  });

  it('uses namespace.appid for namespace, or the app id without a namespace', () => {
    expect(keyScheme('namespace', { ...ids, namespace: 'prod' }).toStoreKey('k')).toBe('prod.cart||k');
    expect(keyScheme('namespace', ids).toStoreKey('k')).toBe('cart||k');
  });

  it('uses the key as is for none', () => {
    expect(keyScheme('none', ids).toStoreKey('k')).toBe('k');
  });

  it('uses any other value as a literal prefix', () => {
    expect(keyScheme('shop', ids).toStoreKey('k')).toBe('shop||k');
  });

  it('refuses a literal prefix containing ||', () => {
    expect(() => keyScheme('a||b', ids)).toThrow(/can't contain '\|\|'/);
  });

  it.each(['appid', 'none'])('refuses a key containing || with 400 ERR_MALFORMED_REQUEST (keyPrefix %s)', (mode) => {
    let error: unknown;
    try {
      keyScheme(mode, ids).toStoreKey('a||b');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DaprError);
    expect(error).toMatchObject({ status: 400, errorCode: 'ERR_MALFORMED_REQUEST' });
  });
});
