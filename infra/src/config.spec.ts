import { checkAuthToken } from './config';

describe('checkAuthToken', () => {
  it('accepts what ElastiCache accepts', () => {
    expect(checkAuthToken('0123456789abcdef-token!')).toBe('0123456789abcdef-token!');
  });

  it.each([
    ['shorter than 16 characters', 'short-token'],
    ['with a space', 'a token with spaces in it'],
    ["with '@'", 'abcdefghijklmnop@'],
    ["with '/'", 'abcdefghijklmnop/'],
    ['with a double quote', 'abcdefghijklmnop"'],
  ])('refuses a token %s, at preview rather than minutes into `pulumi up`', (_, token) => {
    expect(() => checkAuthToken(token)).toThrow('redisAuthToken must be 16-128 printable characters');
  });
});
