// readJsonBody: parses and validates a JSON body with zod; bad JSON or a bad field → 400 BAD_REQUEST naming it.
import type { Context } from 'hono';
import type { z } from 'zod';
import { NexusError } from '../../core/nexus-error.js';

/** The body parsed by `schema`; throws BAD_REQUEST with the field path and what was wrong. */
export async function readJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const text = await c.req.text();
  let json: unknown;
  try {
    json = text.trim() === '' ? {} : JSON.parse(text);
  } catch (error) {
    throw new NexusError('BAD_REQUEST', { field: 'body', reason: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.length ? issue.path.join('.') : 'body';
    throw new NexusError('BAD_REQUEST', { field, reason: issue.message });
  }
  return parsed.data;
}
