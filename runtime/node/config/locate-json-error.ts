// locateJsonError: where a JSON text first goes wrong (line, column, why), since V8's JSON.parse message often omits it.

/** The first syntax error in a JSON text; line and column count from 1. */
export interface JsonErrorLocation {
  offset: number;
  line: number;
  column: number;
  reason: string;
}

class Stop {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;
const ESCAPES = '"\\/bfnrt';

function scan(text: string): void {
  let i = 0;
  const fail = (reason: string): never => {
    throw new Stop(i, i >= text.length ? 'unexpected end of file' : reason);
  };
  const skip = () => {
    WHITESPACE.lastIndex = i;
    WHITESPACE.test(text);
    i = WHITESPACE.lastIndex;
  };
  const expect = (char: string, after: string) => {
    skip();
    if (text[i] !== char) fail(`expected ${JSON.stringify(char)} ${after}, got ${JSON.stringify(text[i])}`);
    i++;
  };
  const string = () => {
    i++;
    while (i < text.length) {
      const code = text.charCodeAt(i);
      if (code === 0x22) return void i++;
      if (code < 0x20) fail('control character inside a string (escape it, e.g. \\n)');
      if (code !== 0x5c) i++;
      else if (text[i + 1] === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
      else if (text[i + 1] !== undefined && text[i + 1] !== 'u' && ESCAPES.includes(text[i + 1])) i += 2;
      else fail('invalid escape sequence in a string');
    }
    fail('unterminated string');
  };
  const value = (): void => {
    skip();
    const char = text[i];
    if (char === '"') return string();
    if (char === '{' || char === '[') {
      const close = char === '{' ? '}' : ']';
      i++;
      skip();
      if (text[i] === close) return void i++;
      for (;;) {
        skip();
        if (char === '{') {
          if (text[i] !== '"') fail(text[i] === '}' ? 'trailing comma before "}"' : `expected a double-quoted property name, got ${JSON.stringify(text[i])}`);
          string();
          expect(':', 'after a property name');
        } else if (text[i] === ']') fail('trailing comma before "]"');
        value();
        skip();
        if (text[i] !== ',') return expect(close, `or "," after ${char === '{' ? 'a property value' : 'an array item'}`);
        i++;
      }
    }
    NUMBER.lastIndex = i;
    if (NUMBER.test(text)) return void (i = NUMBER.lastIndex);
    const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i));
    if (literal) return void (i += literal.length);
    fail(`unexpected ${JSON.stringify(text[i])}`);
  };
  value();
  skip();
  if (i < text.length) fail(`unexpected ${JSON.stringify(text[i])} after the end of the JSON value`);
}

/**
 * Finds the first syntax error in `text` (RFC 8259 JSON), or undefined when it has none. Meant for
 * error messages after JSON.parse has failed; a nesting too deep to scan also gives undefined.
 */
export function locateJsonError(text: string): JsonErrorLocation | undefined {
  try {
    scan(text);
    return undefined;
  } catch (error) {
    if (!(error instanceof Stop)) return undefined;
    const before = text.slice(0, error.offset);
    const line = before.split('\n').length;
    return { offset: error.offset, line, column: error.offset - before.lastIndexOf('\n'), reason: error.reason };
  }
}
