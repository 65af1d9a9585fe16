// nodeResponseOf: the Node response behind a request that listen() (@hono/node-server) serves.
import type { ServerResponse } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';

/** The request's ServerResponse; `user` names who needs it in the error when the app is not served by listen(). */
export function nodeResponseOf(c: Context, user: string): ServerResponse {
  const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
  if (!outgoing) throw new Error(`${user} writes to the Node response: serve the app with listen()`);
  return outgoing as ServerResponse;
}
