import { goJson, MAX_NESTING_DEPTH, NestingTooDeepError } from './go-json';

describe('goJson (the bytes daprd stores for a state value)', () => {
  it('sorts object keys bytewise, integer-looking keys included', () => {
    expect(goJson({ b: 1, a: 2, '10': 3, '9': 4, B: 5 })).toBe('{"10":3,"9":4,"B":5,"a":2,"b":1}');
  });

  it('sorts nested objects, including those inside arrays, and keeps array order', () => {
    expect(goJson({ z: [{ y: 1, x: 2 }, 3, 'c'], a: { d: null, c: true } })).toBe('{"a":{"c":true,"d":null},"z":[{"x":2,"y":1},3,"c"]}');
  });

  it('escapes <, >, & and the JavaScript line separators as Go does', () => {
    expect(goJson('<a href="x">&</a>\u2028\u2029')).toBe('"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e\\u2028\\u2029"');
  });

  it('escapes control characters like Go 1.22+ (\\b, \\f, \\n, \\r, \\t short, others \\u00xx)', () => {
    expect(goJson('\b\f\n\r\t\u0001\u001f')).toBe('"\\b\\f\\n\\r\\t\\u0001\\u001f"');
  });

  it('orders keys above U+FFFF after U+E000–U+FFFF, as UTF-8 bytes do', () => {
    expect(goJson({ '\u{1F600}': 1, '\uFF01': 2, a: 3 })).toBe('{"a":3,"\uFF01":2,"\u{1F600}":1}');
  });

  it('replaces a lone surrogate with U+FFFD', () => {
    expect(goJson(JSON.parse('"a\\ud800b"'))).toBe('"a\ufffdb"');
  });

  it('writes scalars and numbers as Go does for float64', () => {
    expect(goJson('DeathStar')).toBe('"DeathStar"');
    expect(goJson(1.5)).toBe('1.5');
    expect(goJson(1e21)).toBe('1e+21');
    expect(goJson(1e-7)).toBe('1e-7');
    expect(goJson(-0)).toBe('-0');
    expect(goJson(false)).toBe('false');
    expect(goJson(null)).toBe('null');
    expect(goJson(undefined)).toBe('null');
  });

  it('leaves out undefined object members', () => {
    expect(goJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it('writes empty containers', () => {
    expect(goJson({ a: [], b: {} })).toBe('{"a":[],"b":{}}');
  });

  it('encodes values nested as deep as Go allows without exhausting the call stack', () => {
    const deep = JSON.parse('['.repeat(MAX_NESTING_DEPTH) + ']'.repeat(MAX_NESTING_DEPTH));
    expect(goJson(deep)).toHaveLength(2 * MAX_NESTING_DEPTH);
    const deepObject = JSON.parse('{"a":'.repeat(MAX_NESTING_DEPTH) + '1' + '}'.repeat(MAX_NESTING_DEPTH));
    expect(goJson(deepObject).startsWith('{"a":{"a":')).toBe(true);
  });

  it('refuses values nested deeper than Go allows', () => {
    const tooDeep = JSON.parse('['.repeat(MAX_NESTING_DEPTH + 1) + ']'.repeat(MAX_NESTING_DEPTH + 1));
    expect(() => goJson(tooDeep)).toThrow(NestingTooDeepError);
  });
});
