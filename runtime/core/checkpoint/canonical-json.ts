// Canonical JSON: one byte-exact serialization of plain JSON, identical in Node and browsers.
import { NexusError } from '../nexus-error.js';
import type { JsonValue } from './checkpoint-types.js';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Serializes plain JSON deterministically: object keys sorted by UTF-16 code units (as RFC 8785
 * does, never locale-dependent), no whitespace, strings and numbers exactly as JSON.stringify
 * writes them (the ECMAScript spec fixes both, so every engine agrees; -0 becomes 0).
 *
 * Throws NexusError CHECKPOINT_INVALID naming the path for anything that is not plain JSON:
 * NaN, ±Infinity, undefined (also inside arrays), bigint, functions, symbols, class instances
 * (Date, Map, typed arrays...) and cycles, which JSON.stringify would drop or mangle silently.
 *
 * @param value the value to serialize
 * @param path where the value sits, for error messages (e.g. `sections.metrics`)
 */
export function canonicalJson(value: unknown, path = '(root)'): string {
  return write(value, path, new Set());
}

function write(value: unknown, path: string, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) fail(path, `expected a finite number, got ${value}; JSON has no NaN or Infinity`);
      return JSON.stringify(value);
    case 'object':
      if (value === null) return 'null';
      return writeContainer(value, path, ancestors);
    default:
      return fail(path, `expected a JSON value, got ${typeof value}`);
  }
}

function writeContainer(value: object, path: string, ancestors: Set<object>): string {
  if (ancestors.has(value)) fail(path, 'the value contains a cycle');
  ancestors.add(value);
  let text: string;
  if (Array.isArray(value)) {
    const items: string[] = [];
    // An index loop (not map) so that holes in sparse arrays are seen as undefined and refused.
    for (let i = 0; i < value.length; i++) items.push(write(value[i], `${path}[${i}]`, ancestors));
    text = `[${items.join(',')}]`;
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      fail(path, `expected a plain object, got ${value.constructor?.name ?? 'an object with a custom prototype'}`);
    }
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort(compareCodeUnits)
      .map((key) => `${JSON.stringify(key)}:${write(record[key], childPath(path, key), ancestors)}`);
    text = `{${members.join(',')}}`;
  }
  ancestors.delete(value);
  return text;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function childPath(path: string, key: string): string {
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function fail(path: string, reason: string): never {
  throw new NexusError('CHECKPOINT_INVALID', { path, reason });
}
