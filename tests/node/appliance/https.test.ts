// HTTPS: `nexusctl tls init` makes a local CA and server certificate; the appliance serves TLS that verifies against that CA.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from '../cli/cli-harness.js';
import { startTestAppliance, type TestAppliance } from './appliance-harness.js';

function get(url: string, ca?: Buffer): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const call = request(url, { ca, rejectUnauthorized: true }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }));
    });
    call.on('error', reject);
    call.end();
  });
}

describe('HTTPS with a certificate from nexusctl tls init', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nexus-tls-'));
  let appliance: TestAppliance;

  beforeAll(async () => {
    await ensureBuilt();
    const init = await runCli(['tls', 'init', '--data-dir', dataDir]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/Android|iOS/);
    appliance = await startTestAppliance({ tls: { cert: join(dataDir, 'tls/server.crt'), key: join(dataDir, 'tls/server.key') } });
  }, 120_000);
  afterAll(async () => {
    await appliance?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the LAN API over TLS, trusted through the local CA', async () => {
    expect(appliance.app.lanUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = readFileSync(join(dataDir, 'tls/nexus-ca.crt'));
    const live = await get(`${appliance.app.lanUrl}/live`, ca);
    expect(live.status).toBe(200);
    expect(live.headers['x-content-type-options']).toBe('nosniff');
  });

  it('is refused by a client that does not trust the CA', async () => {
    await expect(get(`${appliance.app.lanUrl}/live`)).rejects.toThrow(/certificate/);
  });
});
