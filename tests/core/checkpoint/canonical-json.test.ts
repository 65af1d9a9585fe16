// Tests of canonical JSON: sorted keys, no whitespace, spec-fixed numbers and strings, clear refusals.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../runtime/core/checkpoint/canonical-json.js';
import { isNexusError } from '../../../runtime/core/nexus-error.js';

function refusal(value: unknown): { path: unknown; reason: unknown } {
  try {
    canonicalJson(value);
  } catch (error) {
    expect(isNexusError(error, 'CHECKPOINT_INVALID')).toBe(true);
    return (error as { details: { path: unknown; reason: unknown } }).details;
  }
  throw new Error('expected canonicalJson to refuse the value');
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    const value = { b: [3, { z: 1, a: null }], a: { d: true, c: 'x y' } };
    expect(canonicalJson(value)).toBe('{"a":{"c":"x y","d":true},"b":[3,{"a":null,"z":1}]}');
  });

  it('gives the same text whatever the insertion order of keys', () => {
    expect(canonicalJson({ x: 1, y: 2, z: { q: 1, p: 2 } })).toBe(canonicalJson({ z: { p: 2, q: 1 }, y: 2, x: 1 }));
  });

  it('orders keys by UTF-16 code units, not by locale', () => {
    const value = { é: 1, z: 2, Z: 3, '😀': 4, a: 5, '\uff5e': 6, '10': 7, '9': 8 };
    // Code units put 😀 (a surrogate pair, 0xd83d...) before ～ (0xff5e); code points would not.
    expect(canonicalJson(value)).toBe('{"10":7,"9":8,"Z":3,"a":5,"z":2,"é":1,"😀":4,"～":6}');
  });

  it('writes numbers as ECMAScript fixes them (-0 is 0)', () => {
    expect(canonicalJson([0, -0, 1.5, 0.1 + 0.2, 1e21, 1e-7, -123456789012, 2 ** 53])).toBe(
      '[0,0,1.5,0.30000000000000004,1e+21,1e-7,-123456789012,9007199254740992]',
    );
  });

  it('escapes strings as JSON.stringify does, lone surrogates included', () => {
    expect(canonicalJson('line\n"tab"\t\\ \u0001 é 日本 😀 \ud800')).toBe('"line\\n\\"tab\\"\\t\\\\ \\u0001 é 日本 😀 \\ud800"');
  });

  it('accepts null-prototype objects and shared (non-cyclic) references', () => {
    const shared = { v: 1 };
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { k: shared });
    expect(canonicalJson({ a: shared, b: bare })).toBe('{"a":{"v":1},"b":{"k":{"v":1}}}');
  });

  it.each([
    ['NaN', { m: { p95: Number.NaN } }, '(root).m.p95', /finite number, got NaN/],
    ['Infinity', [1, Number.POSITIVE_INFINITY], '(root)[1]', /got Infinity/],
    ['-Infinity', { x: Number.NEGATIVE_INFINITY }, '(root).x', /got -Infinity/],
    ['undefined in an object', { a: undefined }, '(root).a', /got undefined/],
    ['undefined in an array', [undefined], '(root)[0]', /got undefined/],
    ['a hole in a sparse array', [1, , 3], '(root)[1]', /got undefined/], // eslint-disable-line no-sparse-arrays
    ['bigint', { n: 1n }, '(root).n', /got bigint/],
    ['a function', { f: () => 1 }, '(root).f', /got function/],
    ['a symbol', { s: Symbol('s') }, '(root).s', /got symbol/],
    ['a Date', { when: new Date(0) }, '(root).when', /plain object, got Date/],
    ['a Map', { m: new Map() }, '(root).m', /plain object, got Map/],
    ['a typed array', { b: new Uint8Array(2) }, '(root).b', /plain object, got Uint8Array/],
    ['an odd key', { 'two words': Number.NaN }, '(root)["two words"]', /NaN/],
  ])('refuses %s and names the path', (_label, value, path, reason) => {
    const details = refusal(value);
    expect(details.path).toBe(path);
    expect(String(details.reason)).toMatch(reason);
  });

  it('refuses cycles', () => {
    const node: Record<string, unknown> = { name: 'loop' };
    node.self = node;
    expect(refusal({ root: node })).toEqual({ path: '(root).root.self', reason: 'the value contains a cycle' });
  });

  it('uses the path it is given in errors', () => {
    expect(() => canonicalJson({ p95: Number.NaN }, 'sections.metrics')).toThrow(/\[sections\.metrics\.p95\]/);
  });

  it('property: parses back to the same value and is a fixed point', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});
