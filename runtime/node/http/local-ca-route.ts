// GET /nexus-ca.crt: the local CA's certificate (public), for a phone to install before it can trust the appliance's HTTPS.
import { Hono } from 'hono';
import { readFile } from 'node:fs/promises';
import { NexusError } from '../../core/nexus-error.js';
import { localCaFile } from '../local-ca-file.js';
import type { ApiEnv } from './api-auth.js';

/**
 * Served without a key, as the PWA's files are: a phone fetches it before anything else works.
 * The MIME type makes iOS offer to install the profile and Android save it as a CA certificate.
 */
export function localCaRoute(dataDir: () => string): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get('/nexus-ca.crt', async (c) => {
    const pem = await readFile(localCaFile(dataDir()), 'utf8').catch(() => undefined);
    if (pem === undefined) throw new NexusError('NOT_FOUND', { what: 'the local CA certificate (nexusctl tls init makes one)' });
    return c.body(pem, 200, { 'Content-Type': 'application/x-x509-ca-cert', 'Content-Disposition': 'attachment; filename="nexus-ca.crt"', 'Cache-Control': 'no-cache' });
  });
  return app;
}
