// createAdminApp: the admin API (control, logs, checkpoints, status), admin key always required.
import { Hono } from 'hono';
import { NexusError } from '../../core/nexus-error.js';
import type { ApiKeys } from '../appliance/api-keys.js';
import type { Daemon } from '../appliance/daemon.js';
import { authenticate, requireScope, type ApiEnv } from './api-auth.js';
import { bodySizeLimit } from './body-size-limit.js';
import { adminCheckpointRoutes } from './checkpoint-routes.js';
import { controlRoute, type ApplianceControl } from './control-route.js';
import { errorResponse } from './error-response.js';
import { logRoutes } from './log-routes.js';
import { requestMetrics } from './request-metrics.js';
import { securityHeaders } from './security-headers.js';

/** Uploaded checkpoints may be larger than chat bodies. */
const ADMIN_BODY_BYTES = 256 * 1024 * 1024;

/** The admin Hono app. /live answers without a key; everything else needs the admin scope. */
export function createAdminApp(options: { daemon: Daemon; keys: ApiKeys; control: ApplianceControl }): Hono<ApiEnv> {
  const { daemon } = options;
  const app = new Hono<ApiEnv>();
  app.use('*', securityHeaders());
  app.use('*', requestMetrics(daemon.metrics));
  app.use('*', bodySizeLimit(() => ADMIN_BODY_BYTES));
  app.get('/live', (c) => c.json({ status: 'live' }));
  app.use('/api/*', authenticate({ keys: options.keys, anonymousScopes: () => [] }));
  app.get('/api/status', requireScope('admin'), (c) => c.json(daemon.status()));
  app.route('/api', controlRoute(daemon, options.control));
  app.route('/api', logRoutes(daemon.logger));
  app.route('/api', adminCheckpointRoutes(daemon));
  app.notFound((c) => errorResponse(c, new NexusError('NOT_FOUND', { what: `${c.req.method} ${c.req.path}` })));
  app.onError((error, c) => errorResponse(c, error, daemon.logger));
  return app;
}
