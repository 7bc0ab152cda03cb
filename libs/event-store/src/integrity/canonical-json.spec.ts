import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { EventStoreError } from '../errors.js';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts object keys by UTF-16 code units at every depth and writes no whitespace', () => {
    const value = { b: [1, { d: true, c: null }], a: 'æ', '10': 0, '9': 1, é: 2, '😀': 3, '＀': 4, B: 5 };
    expect(canonicalJson(value)).toBe('{"10":0,"9":1,"B":5,"a":"æ","b":[1,{"c":null,"d":true}],"é":2,"😀":3,"＀":4}');
  });

  it('writes strings and numbers as JSON.stringify does', () => {
    expect(canonicalJson(['quote " \\ \n \t \u0001', '\ud800', 1e21, 1e-7, 0.1 + 0.2, -0, 2 ** 53 + 2])).toBe(
      '["quote \\" \\\\ \\n \\t \\u0001","\\ud800",1e+21,1e-7,0.30000000000000004,0,9007199254740994]',
    );
  });

  it('reads values the way JSON.stringify does', () => {
    const value = {
      skipped: undefined,
      fn: () => 1,
      when: new Date('2019-01-20T00:00:00.000Z'),
      boxed: [new String('s'), new Number(2), new Boolean(false)],
      holes: [undefined, () => 1, Number.NaN, Infinity],
      custom: { toJSON: (key: string) => `key ${key}` },
    };
    expect(canonicalJson(value)).toBe('{"boxed":["s",2,false],"custom":"key custom","holes":[null,null,null,null],"when":"2019-01-20T00:00:00.000Z"}');
  });

  it('gives a value and its JSON round trip the same form, which parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const canonical = canonicalJson(value);
        expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonical);
        expect(JSON.parse(canonical)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('does not depend on the order keys were added in', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(record));
      }),
    );
  });

  it('refuses what has no JSON form', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => canonicalJson({ n: 1n })).toThrow(EventStoreError);
    expect(() => canonicalJson(cycle)).toThrow(/cycle/);
    expect(() => canonicalJson(undefined)).toThrow(/no JSON form/);
    const shared = { x: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"x":1},{"x":1}]');
  });
});
