// requestMetrics: counts every HTTP request by route, method and status, and observes its latency.
import type { MiddlewareHandler } from 'hono';
import type { ApplianceMetrics } from '../appliance/appliance-metrics.js';
import { nodeResponseOf } from './node-response.js';

const knownRoutes = new Set([
  '/live', '/ready', '/health', '/metrics', '/api/status', '/api/interact', '/api/teach', '/api/feedback', '/api/events',
  '/api/checkpoint/latest', '/api/control', '/api/logs', '/api/logs/stream', '/api/checkpoints', '/v1/chat/completions', '/v1/models',
]);

/** The route label: a known route, a checkpoint id folded into `:id`, else `other` (bounded cardinality). */
export function routeLabel(path: string): string {
  if (knownRoutes.has(path)) return path;
  if (/^\/api\/checkpoints\/[^/]+\/verify$/.test(path)) return '/api/checkpoints/:id/verify';
  if (/^\/api\/checkpoints\/[^/]+$/.test(path)) return '/api/checkpoints/:id';
  return 'other';
}

/**
 * Middleware recording nexus_http_requests_total and nexus_request_duration_seconds (time until the
 * handler answered). They are recorded once the response has gone out: the summary's digests took
 * ~50 µs, which a streamed answer paid before its first token.
 */
export function requestMetrics(metrics: ApplianceMetrics): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const record = () => {
      const route = routeLabel(c.req.path);
      metrics.requests.inc({ route, method: c.req.method, status: String(c.res.status) });
      metrics.latency.observe({ route }, seconds);
    };
    const outgoing = nodeResponseOf(c, 'requestMetrics');
    if (outgoing.writableFinished) record();
    else outgoing.once('close', record);
  };
}
