// formatZodIssue: one zod issue as "[path] expected …, got …" text, for config files and request bodies alike.
import type { z } from 'zod';
import { editDistance } from './edit-distance.js';

/** One issue in words: `path` is dotted (`queue.size`, `cors.origins[0]`, `` for the root). */
export interface FormattedZodIssue {
  path: string;
  reason: string;
  /** `[path] reason` (`[(root)] …` for the root). */
  text: string;
}

/** The slice of a zod schema's definition the known-keys walk reads. */
interface SchemaDef {
  type: string;
  shape?: Record<string, { _zod: { def: SchemaDef } }>;
  innerType?: { _zod: { def: SchemaDef } };
  in?: { _zod: { def: SchemaDef } };
  element?: { _zod: { def: SchemaDef } };
}

const nouns: Record<string, string> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/** A value as the "got …" part shows it: strings quoted and shortened, containers by kind. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, segment) => {
    if (typeof segment === 'number') return `${out}[${segment}]`;
    const name = String(segment);
    if (/^[A-Za-z_$][\w$]*$/.test(name)) return out === '' ? name : `${out}.${name}`;
    return `${out}[${JSON.stringify(name)}]`;
  }, '');
}

/** The object keys a schema accepts at `path`, or [] when it is not an object there. */
function knownKeysAt(root: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  let def: SchemaDef | undefined = root._zod.def as SchemaDef;
  for (let i = 0; def !== undefined; ) {
    const wrapped: { _zod: { def: SchemaDef } } | undefined = def.innerType ?? def.in;
    if (wrapped) def = wrapped._zod.def;
    else if (i === path.length) return Object.keys(def.shape ?? {});
    else if (def.type === 'object') def = def.shape?.[String(path[i++])]?._zod.def;
    else if (def.type === 'array') (def = def.element?._zod.def), i++;
    else return [];
  }
  return [];
}

function unknownKeyReason(key: string, known: string[]): string {
  const lower = key.toLowerCase();
  const near = known.find((k) => k.toLowerCase() === lower) ?? known.find((k) => editDistance(k.toLowerCase(), lower) <= Math.min(2, Math.floor(key.length / 3)));
  if (near !== undefined) return `unknown key; did you mean "${near}"?`;
  return known.length === 0 ? 'unknown key' : `unknown key (known keys: ${known.join(', ')})`;
}

function reasonFor(issue: z.core.$ZodIssue, got: string): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${nouns[issue.expected] ?? issue.expected}, got ${got}`;
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = small ? issue.minimum : issue.maximum;
      const plural = Number(bound) === 1 ? '' : 's';
      if (issue.origin === 'string') return `expected ${small ? 'at least' : 'at most'} ${bound} character${plural}, got ${got}`;
      if (issue.origin === 'array' || issue.origin === 'set') return `expected ${small ? 'at least' : 'at most'} ${bound} item${plural}, got ${got}`;
      const sign = small ? (issue.inclusive ? '≥' : '>') : issue.inclusive ? '≤' : '<';
      return `expected ${issue.origin} ${sign} ${bound}, got ${got}`;
    }
    case 'invalid_value':
      return `expected ${issue.values.length === 1 ? '' : 'one of '}${issue.values.map((v) => JSON.stringify(v)).join(' | ')}, got ${got}`;
    case 'invalid_format':
      if (issue.format === 'url') return `expected a URL (http:// or https://), got ${got}`;
      return issue.message.startsWith('expected') ? `${issue.message}, got ${got}` : `expected a ${issue.format}, got ${got}`;
    case 'not_multiple_of':
      return `expected a multiple of ${issue.divisor}, got ${got}`;
    case 'custom':
      return issue.message;
    default:
      return `${issue.message}, got ${got}`;
  }
}

/**
 * Describes one zod issue as `[path] expected …, got …`. Parse with `{ reportInput: true }` so the
 * "got" part can show the value. With `root` (the schema that was parsed), an unknown key's reason
 * lists the keys accepted there and suggests the nearest one. An issue for unknown keys names the
 * first key in `path`; the others are listed in `reason`.
 */
export function formatZodIssue(issue: z.core.$ZodIssue, root?: z.core.$ZodType): FormattedZodIssue {
  let path = formatPath(issue.path);
  let reason: string;
  if (issue.code === 'unrecognized_keys') {
    const [first, ...rest] = issue.keys;
    path = formatPath([...issue.path, first]);
    reason = unknownKeyReason(first, root ? knownKeysAt(root, issue.path) : []);
    if (rest.length > 0) reason += `; also unknown: ${rest.map((k) => JSON.stringify(k)).join(', ')}`;
  } else {
    reason = reasonFor(issue, 'input' in issue ? describe(issue.input) : 'something else');
  }
  return { path, reason, text: `[${path || '(root)'}] ${reason}` };
}
