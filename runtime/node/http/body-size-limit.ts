// bodySizeLimit: refuses a request body over the limit with 413 PAYLOAD_TOO_LARGE, by its Content-Length when it declares one.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { NexusError } from '../../core/nexus-error.js';

/**
 * Hono's bodyLimit looks at `c.req.raw.body` first, which makes @hono/node-server wrap the socket
 * in a full web Request (Readable.toWeb), and the route then reads the body through web streams:
 * a small JSON POST took 0.35–0.42 ms on loopback with it, 0.19–0.23 ms with this (side by side).
 * Node's HTTP parser reads exactly the declared Content-Length, so a declared length is checked
 * from the header and the route reads the body straight from the socket; only a chunked body goes
 * through Hono's counting reader.
 */
export function bodySizeLimit(maxBytes: () => number): MiddlewareHandler {
  return async (c, next) => {
    const limitBytes = maxBytes();
    const refuse = (): never => {
      throw new NexusError('PAYLOAD_TOO_LARGE', { limitBytes });
    };
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number.parseInt(declared, 10) > limitBytes) refuse();
      return next();
    }
    return bodyLimit({ maxSize: limitBytes, onError: refuse })(c, next);
  };
}
