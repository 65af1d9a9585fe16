// Log routes of the admin API: GET /api/logs?tail=N and GET /api/logs/stream?tail=N (SSE), from the in-memory ring.
import { Hono } from 'hono';
import type { ApplianceLogger } from '../appliance/appliance-logger.js';
import { requireScope, type ApiEnv } from './api-auth.js';
import { sseResponse } from './sse-response.js';
import { tailQuery } from './tail-query.js';

/**
 * /logs and /logs/stream (admin scope). `tail` is how many of the newest lines to send: default
 * 100 (/logs) and 20 (/logs/stream), 0 for none, at most the ring's capacity; any other value is
 * a 400 BAD_REQUEST naming `tail`.
 */
export function logRoutes(logger: ApplianceLogger): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.use('*', requireScope('admin'));
  app.get('/logs', (c) => {
    const tail = tailQuery(c.req.query('tail'), 100, logger.capacity);
    return c.json({ lines: logger.tail(tail).map((line) => JSON.parse(line) as unknown) });
  });
  app.get('/logs/stream', (c) => {
    const tail = tailQuery(c.req.query('tail'), 20, logger.capacity);
    return sseResponse(c, (send, signal) => {
      for (const line of logger.tail(tail)) send(line, 'log');
      const unfollow = logger.follow((line) => send(line, 'log'));
      return new Promise<void>((resolve) => signal.addEventListener('abort', () => (unfollow(), resolve()), { once: true }));
    });
  });
  return app;
}
