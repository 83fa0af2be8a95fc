import { DaprError } from '../errors';
import { normaliseMethodPath, parseTargetAppId } from './method-path';

describe('normaliseMethodPath', () => {
  it.each([
    ['hello', '/hello'],
    ['api/v1/add', '/api/v1/add'],
    ['a//b/', '/a/b'],
    ['', '/'],
    ['with%20space', '/with%20space'],
    ['keep:colon@at,comma=eq+plus', '/keep:colon@at,comma=eq+plus'],
    ['caf%C3%A9', '/caf%C3%A9'],
    ['dir%2Ffile', '/dir/file'],
  ])('turns %j into %j', (raw, expected) => {
    expect(normaliseMethodPath(raw, 'b')).toBe(expected);
  });

  it('decodes exactly once: a double-encoded name stays the literal segment it names', () => {
    expect(normaliseMethodPath('public%252F..%252Fadmin', 'b')).toBe('/public%252F..%252Fadmin');
    expect(normaliseMethodPath('%252e%252e', 'b')).toBe('/%252e%252e');
  });

  it.each([
    'public/../admin',
    'public/./admin',
    'public%2F..%2Fadmin',
    '%2e%2e/admin',
    'public/%2E%2E',
    'public%23/../admin',
    'public%3F/../admin',
    'public%0D/../admin',
    'public%0A',
    'public%00',
    'public%5C..%5Cadmin',
    'public\\admin',
    'bad%zzescape',
    '%ff',
  ])('refuses %j with 500 ERR_DIRECT_INVOKE', (raw) => {
    let error: unknown;
    try {
      normaliseMethodPath(raw, 'b');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DaprError);
    expect(error).toMatchObject({ status: 500, errorCode: 'ERR_DIRECT_INVOKE' });
    expect((error as Error).message).toContain('failed to invoke, id: b');
  });
});

describe('parseTargetAppId', () => {
  it('takes the caller namespace when the id has none', () => {
    expect(parseTargetAppId('orders', 'shop')).toEqual({ appId: 'orders', namespace: 'shop' });
    expect(parseTargetAppId('orders', undefined)).toEqual({ appId: 'orders', namespace: undefined });
  });

  it('reads app.namespace', () => {
    expect(parseTargetAppId('orders.billing', 'shop')).toEqual({ appId: 'orders', namespace: 'billing' });
  });

  it.each(['a.b.c', '', '-leading', 'has space', 'http://169.254.169.254', '../etc', 'a.', `${'x'.repeat(64)}`])('refuses %j as an invalid app id', (target) => {
    expect(() => parseTargetAppId(target, undefined)).toThrow(/invalid app id/);
  });
});

describe('normaliseMethodPath on its own output', () => {
  it.each(['api/v1/add', 'dir%2Ffile', 'with%20space', 'public%252F..%252Fadmin', 'caf%C3%A9', 'keep:colon@at'])('leaves the normalised form of %j as it is', (raw) => {
    const once = normaliseMethodPath(raw, 'b');
    expect(normaliseMethodPath(once.slice(1), 'b')).toBe(once);
  });
});
