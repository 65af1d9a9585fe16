// POST /api/control: pause, resume, save, reload-config, recalibrate, use-model, shutdown (admin scope).
import { Hono } from 'hono';
import type { ConfigDiff } from '../appliance/live-config.js';
import type { Daemon } from '../appliance/daemon.js';
import { requireScope, type ApiEnv } from './api-auth.js';
import { readJsonBody } from './read-json-body.js';
import { controlSchema } from './request-schemas.js';

/** What the process around the daemon does for reload-config and shutdown. */
export interface ApplianceControl {
  reloadConfig(): Promise<ConfigDiff>;
  /** Starts a graceful shutdown; the response is sent before the process goes away. */
  shutdown(reason: string): void;
}

/** The control route, on both APIs. */
export function controlRoute(daemon: Daemon, control: ApplianceControl): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.post('/control', requireScope('admin'), async (c) => {
    const body = await readJsonBody(c, controlSchema);
    daemon.logger.log('info', 'control', { action: body.action, by: c.get('principal').id });
    switch (body.action) {
      case 'pause':
        daemon.pause();
        return c.json({ ok: true, state: daemon.state });
      case 'resume':
        daemon.resume();
        return c.json({ ok: true, state: daemon.state });
      case 'save':
        return c.json({ ok: true, checkpoint: await daemon.save('control') });
      case 'reload-config':
        return c.json({ ok: true, ...(await control.reloadConfig()) });
      case 'recalibrate':
        return c.json({ ok: true, report: await daemon.recalibrate(), gate: daemon.ready().calibration.settings });
      case 'use-model':
        return c.json({ ok: true, ...(await daemon.useModel(body.model, body.dtype ?? daemon.config.dtype)) });
      case 'shutdown':
        setTimeout(() => control.shutdown('control'), 10);
        return c.json({ ok: true, state: 'stopping' });
      default: {
        const unknown: never = body;
        throw new Error(`unhandled action ${JSON.stringify(unknown)}`);
      }
    }
  });
  return app;
}
