// Tests of locateJsonError: it agrees with JSON.parse on what is JSON, and points at the right place.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locateJsonError } from '../../../runtime/node/config/locate-json-error.js';

const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('locateJsonError', () => {
  it.each([
    ['{"a": }', 1, 7, 'unexpected "}"'],
    ['{\n  "a": 1,\n}', 3, 1, 'trailing comma before "}"'],
    ['[1, 2,]', 1, 7, 'trailing comma before "]"'],
    ['{a: 1}', 1, 2, 'expected a double-quoted property name, got "a"'],
    ['{"a" 1}', 1, 6, 'expected ":" after a property name, got "1"'],
    ['{"a": 1 "b": 2}', 1, 9, 'expected "}" or "," after a property value, got "\\""'],
    ['{"a": "x', 1, 9, 'unexpected end of file'],
    ['{"a": "\\q"}', 1, 8, 'invalid escape sequence in a string'],
    ['{"a": "\t"}', 1, 8, 'control character inside a string (escape it, e.g. \\n)'],
    ['{"a": tru}', 1, 7, 'unexpected "t"'],
    ['{} x', 1, 4, 'unexpected "x" after the end of the JSON value'],
    ['', 1, 1, 'unexpected end of file'],
  ])('%j fails at line %i, column %i: %s', (text, line, column, reason) => {
    expect(parses(text)).toBe(false);
    expect(locateJsonError(text)).toMatchObject({ line, column, reason });
  });

  it('finds nothing in valid JSON', () => {
    fc.assert(fc.property(fc.json(), (text) => locateJsonError(text) === undefined), { numRuns: 300 });
  });

  it('finds an error exactly when JSON.parse fails, on mangled JSON', () => {
    const mangled = fc.tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', '\\', 'x', '\n', '01', '-', '1e', '\u0001')).map(([text, at, insert]) => {
      const i = at % (text.length + 1);
      return text.slice(0, i) + insert + text.slice(i + (at % 2));
    });
    fc.assert(fc.property(fc.oneof(mangled, fc.string()), (text) => (locateJsonError(text) === undefined) === parses(text)), { numRuns: 1000 });
  });
});
