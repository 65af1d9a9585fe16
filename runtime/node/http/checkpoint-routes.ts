// Checkpoint routes: GET /api/checkpoint/latest (LAN, read) and the admin list/download/verify/upload.
import { Hono } from 'hono';
import { decodeCheckpoint } from '../../core/checkpoint/checkpoint-codec.js';
import { NexusError } from '../../core/nexus-error.js';
import type { Daemon } from '../appliance/daemon.js';
import { requireScope, type ApiEnv } from './api-auth.js';

const octetStream = { 'Content-Type': 'application/octet-stream' };

/** GET /checkpoint/latest: a fresh checkpoint of the current state, for a PWA to sync. */
export function latestCheckpointRoute(daemon: Daemon): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get('/checkpoint/latest', requireScope('read'), async (c) => {
    const bytes = await daemon.checkpoints.encode(daemon.ready());
    return c.body(new Uint8Array(bytes), 200, { ...octetStream, 'Content-Disposition': 'attachment; filename="nexus-latest.nxck"' });
  });
  return app;
}

/** The admin checkpoint routes (admin scope). */
export function adminCheckpointRoutes(daemon: Daemon): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.use('*', requireScope('admin'));
  app.get('/checkpoints', async (c) => c.json({ checkpoints: await daemon.checkpoints.store.list(), ...daemon.checkpoints.status() }));
  app.get('/checkpoints/:id', async (c) => {
    const id = c.req.param('id');
    const bytes = await daemon.checkpoints.store.read(id);
    return c.body(new Uint8Array(bytes), 200, { ...octetStream, 'Content-Disposition': `attachment; filename="${id}"` });
  });
  app.post('/checkpoints/:id/verify', async (c) => {
    const bytes = await daemon.checkpoints.store.read(c.req.param('id'));
    try {
      const decoded = await decodeCheckpoint(bytes, { modelSha256: daemon.assistant?.model.modelSha256 });
      return c.json({ ok: true, id: c.req.param('id'), header: decoded.header, sections: Object.keys(decoded.sections), modelMismatch: decoded.modelMismatch });
    } catch (error) {
      return c.json({ ok: false, id: c.req.param('id'), error: error instanceof NexusError ? error.toJSON() : { code: 'INTERNAL', message: String(error) } });
    }
  });
  app.post('/checkpoints', async (c) => {
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.length === 0) throw new NexusError('BAD_REQUEST', { field: 'body', reason: 'expected the checkpoint bytes (application/octet-stream), got an empty body' });
    const assistant = daemon.ready();
    const before = assistant.memory.size;
    let report;
    try {
      report = await daemon.checkpoints.apply(assistant, bytes);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new NexusError('BAD_REQUEST', { field: 'body', reason: `not a valid checkpoint: ${reason}` }, { cause: error });
    }
    const memory = { before, after: assistant.memory.size };
    daemon.logger.log('info', 'checkpoint.uploaded', { restored: report.restored, memoryBefore: memory.before, memoryAfter: memory.after });
    // What is stored is the state after the import (this appliance's memory with the file's added), not the file.
    const stored = await daemon.save('import');
    return c.json({ ok: true, stored, restore: report, memory });
  });
  return app;
}
