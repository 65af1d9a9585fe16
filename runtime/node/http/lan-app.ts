// createLanApp: the LAN API (probes, status, metrics, OpenAI and native chat, events, checkpoint sync, the local CA, PWA files).
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { NexusError } from '../../core/nexus-error.js';
import type { ApiKeys } from '../appliance/api-keys.js';
import type { Daemon } from '../appliance/daemon.js';
import { authenticate, type ApiEnv } from './api-auth.js';
import { bodySizeLimit } from './body-size-limit.js';
import { latestCheckpointRoute } from './checkpoint-routes.js';
import { localCaRoute } from './local-ca-route.js';
import { controlRoute, type ApplianceControl } from './control-route.js';
import { errorResponse } from './error-response.js';
import { eventsRoute } from './events-route.js';
import { interactRoutes } from './interact-routes.js';
import { openAiRoutes } from './openai-routes.js';
import { requestMetrics } from './request-metrics.js';
import { securityHeaders } from './security-headers.js';
import { staticFiles } from './static-files.js';
import { statusRoutes } from './status-routes.js';
import type { TokenBucketLimiter } from './token-bucket.js';

/** What the LAN API is built from. */
export interface LanAppOptions {
  daemon: Daemon;
  keys: ApiKeys;
  control: ApplianceControl;
  /** True when the server is bound to a loopback address: chat and read then need no key. */
  loopbackBound: boolean;
  perKey: TokenBucketLimiter;
  perAddress: TokenBucketLimiter;
  /** Directory served at `/` (the PWA build), if any. */
  staticDir?: string;
}

/** The LAN Hono app; errors and unknown routes become JSON in one place. */
export function createLanApp(options: LanAppOptions): Hono<ApiEnv> {
  const { daemon } = options;
  const app = new Hono<ApiEnv>();
  app.use('*', securityHeaders());
  app.use('*', requestMetrics(daemon.metrics));
  app.use('*', async (c, next) => {
    const origins = daemon.config.cors.origins;
    if (origins.length === 0) return next();
    return cors({ origin: (origin) => (origins.includes('*') || origins.includes(origin) ? origin : null), allowHeaders: ['Authorization', 'Content-Type'], maxAge: 600 })(c, next);
  });
  app.use('*', bodySizeLimit(() => daemon.config.limits.bodyBytes));
  const auth = authenticate({
    keys: options.keys,
    perKey: options.perKey,
    perAddress: options.perAddress,
    anonymousScopes: () => (options.loopbackBound || daemon.config.auth.openLan ? ['chat', 'read'] : []),
  });
  app.use('/api/*', auth);
  app.use('/v1/*', auth);
  app.use('/metrics', auth);
  app.route('/', statusRoutes(daemon));
  app.route('/v1', openAiRoutes(daemon));
  app.route('/api', interactRoutes(daemon));
  app.route('/api', eventsRoute(daemon));
  app.route('/api', latestCheckpointRoute(daemon));
  app.route('/api', controlRoute(daemon, options.control));
  app.route('/', localCaRoute(() => daemon.config.dataDir));
  if (options.staticDir) app.use('*', staticFiles(options.staticDir));
  app.notFound((c) => errorResponse(c, new NexusError('NOT_FOUND', { what: `${c.req.method} ${c.req.path}` })));
  app.onError((error, c) => errorResponse(c, error, daemon.logger));
  return app;
}
