// Tests of formatZodIssue: each kind of zod issue reads "[path] expected …, got …".
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { nexusConfigSchema } from '../../../edge-config/config-schema.js';
import { formatZodIssue } from '../../../runtime/node/config/format-zod-issue.js';

const textOf = (schema: z.ZodType, input: unknown, root?: z.ZodType) => {
  const issues = schema.safeParse(input, { reportInput: true }).error?.issues ?? [];
  return issues.map((issue) => formatZodIssue(issue, root).text);
};

describe('formatZodIssue', () => {
  it.each([
    [{ queue: { size: 0 } }, '[queue.size] expected number ≥ 1, got 0'],
    [{ gate: { threshold: 1.5 } }, '[gate.threshold] expected number ≤ 1, got 1.5'],
    [{ generation: { topP: 0 } }, '[generation.topP] expected number > 0, got 0'],
    [{ threads: 2.5 }, '[threads] expected an integer, got 2.5'],
    [{ port: '80' }, '[port] expected a number, got "80"'],
    [{ gate: { enabled: 'yes' } }, '[gate.enabled] expected true or false, got "yes"'],
    [{ queue: [] }, '[queue] expected an object, got an array of 0 items'],
    [{ dtype: 'q5' }, '[dtype] expected one of "q4" | "q8" | "fp32", got "q5"'],
    [{ host: '' }, '[host] expected at least 1 character, got ""'],
    [{ cors: { origins: ['ftp://x'] } }, '[cors.origins[0]] expected "*" or an origin such as https://host:port, got "ftp://x"'],
    [{ modelMirror: 'nope' }, '[modelMirror] expected a URL (http:// or https://), got "nope"'],
    [{ teacher: null }, '[teacher] expected an object, got null'],
  ])('%j → %s', (input, text) => {
    expect(textOf(nexusConfigSchema, input)).toEqual([text]);
  });

  it('says "got nothing" for a missing required key', () => {
    expect(textOf(z.object({ a: z.number() }), {})).toEqual(['[a] expected a number, got nothing']);
  });

  it('names an unknown key in the path, suggests a near key, or lists the known ones', () => {
    expect(textOf(nexusConfigSchema, { queue: { sise: 1 } }, nexusConfigSchema)).toEqual(['[queue.sise] unknown key; did you mean "size"?']);
    expect(textOf(nexusConfigSchema, { QUEUE: {} }, nexusConfigSchema)).toEqual(['[QUEUE] unknown key; did you mean "queue"?']);
    expect(textOf(nexusConfigSchema, { budgets: { serving: { gpu: 1 } } }, nexusConfigSchema)).toEqual(['[budgets.serving.gpu] unknown key (known keys: cpuPercent, memoryMb)']);
    expect(textOf(nexusConfigSchema, { tls: { a: 1, b: 2 } })).toEqual(['[tls.a] unknown key; also unknown: "b"']);
  });

  it('writes odd keys and the root readably', () => {
    expect(textOf(z.record(z.string(), z.number()), { 'a b': 'x' })).toEqual(['[["a b"]] expected a number, got "x"']);
    expect(textOf(z.number(), 'x')).toEqual(['[(root)] expected a number, got "x"']);
  });

  it('shortens long strings', () => {
    const [text] = textOf(z.object({ a: z.number() }), { a: 'x'.repeat(200) });
    expect(text.length).toBeLessThan(100);
  });

  it('keeps a custom refinement message as the reason', () => {
    const schema = z.object({ a: z.number() }).refine((v) => v.a > 1, { path: ['a'], message: 'expected more than one' });
    expect(formatZodIssue(schema.safeParse({ a: 1 }).error!.issues[0])).toEqual({ path: 'a', reason: 'expected more than one', text: '[a] expected more than one' });
  });

  it('works without reportInput', () => {
    const issue = z.object({ a: z.number() }).safeParse({ a: 'x' }).error!.issues[0];
    expect(formatZodIssue(issue).text).toBe('[a] expected a number, got something else');
  });
});
