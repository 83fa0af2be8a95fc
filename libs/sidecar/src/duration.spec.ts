import { parseByteQuantity, parseDuration } from './duration';

describe('parseDuration (Go durations)', () => {
  it.each([
    ['0', 0],
    ['5s', 5000],
    ['300ms', 300],
    ['1.5h', 5_400_000],
    ['2h45m', 9_900_000],
    ['1m30s', 90_000],
    ['1500us', 1.5],
    ['1500µs', 1.5],
    ['2000000ns', 2],
    [' 10s ', 10_000],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBeCloseTo(ms, 6);
  });

  it.each(['', '5', 's', '5 s', '5x', '-5s', '5s10', 'h1'])('refuses %j', (text) => {
    expect(() => parseDuration(text)).toThrow(`invalid duration '${text}'`);
  });
});

describe('parseByteQuantity (Kubernetes quantities)', () => {
  it.each([
    ['1048576', 1048576],
    ['4Mi', 4 * 1024 * 1024],
    ['512Ki', 512 * 1024],
    ['1Gi', 1024 ** 3],
    ['16M', 16_000_000],
    ['4k', 4000],
    ['4K', 4000],
  ])('reads %j as %d bytes', (text, bytes) => {
    expect(parseByteQuantity(text)).toBe(bytes);
  });

  it.each(['', '4MB', '-1', '1.5Mi', 'Mi'])('refuses %j', (text) => {
    expect(() => parseByteQuantity(text)).toThrow(/invalid size/);
  });
});
