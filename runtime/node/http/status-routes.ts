// Probe and status routes: /live, /ready, /health, /api/status, /metrics.
import { Hono } from 'hono';
import type { Daemon } from '../appliance/daemon.js';
import { requireScope, type ApiEnv } from './api-auth.js';

/** /live, /ready and /health need no key (probes); /api/status and /metrics need read. */
export function statusRoutes(daemon: Daemon): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get('/live', (c) => c.json({ status: 'live', uptimeSeconds: Math.round((Date.now() - daemon.startedAt) / 1000) }));
  app.get('/ready', (c) => {
    const ready = daemon.state === 'serving';
    return c.json({ ready, state: daemon.state }, ready ? 200 : 503);
  });
  app.get('/health', (c) => {
    const health = daemon.health();
    return c.json(health, health.status === 'unhealthy' ? 503 : 200);
  });
  app.get('/api/status', requireScope('read'), (c) => c.json(daemon.status()));
  app.get('/metrics', requireScope('read'), async (c) => {
    const text = await daemon.metrics.registry.metrics();
    return c.body(text, 200, { 'Content-Type': daemon.metrics.registry.contentType });
  });
  return app;
}
