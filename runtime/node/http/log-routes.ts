// Log routes of the admin API: GET /api/logs?tail=N and GET /api/logs/stream (SSE), from the in-memory ring.
import { Hono } from 'hono';
import type { ApplianceLogger } from '../appliance/appliance-logger.js';
import { requireScope, type ApiEnv } from './api-auth.js';
import { sseResponse } from './sse-response.js';

/** /logs and /logs/stream (admin scope). */
export function logRoutes(logger: ApplianceLogger): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.use('*', requireScope('admin'));
  app.get('/logs', (c) => {
    const tail = Math.max(0, Math.min(logger.capacity, Number.parseInt(c.req.query('tail') ?? '100', 10) || 100));
    return c.json({ lines: logger.tail(tail).map((line) => JSON.parse(line) as unknown) });
  });
  app.get('/logs/stream', (c) =>
    sseResponse(c.req.raw.signal, (send, signal) => {
      for (const line of logger.tail(Number.parseInt(c.req.query('tail') ?? '20', 10) || 0)) send(line, 'log');
      const unfollow = logger.follow((line) => send(line, 'log'));
      return new Promise<void>((resolve) => signal.addEventListener('abort', () => (unfollow(), resolve()), { once: true }));
    }),
  );
  return app;
}
