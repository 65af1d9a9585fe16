// nexusctl against an appliance serving HTTPS as `tls init` sets it up (certificate and config): the CLI trusts that CA for its own calls.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/free-port.js';
import { ensureBuilt, removeDaemonDataDir, runCli } from './cli-harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'nexusctl-tls-'));
const dir = ['--data-dir', dataDir];

const configFile = join(dataDir, 'config.json');
const caFile = join(dataDir, 'tls', 'nexus-ca.crt');

/** A GET over HTTPS that trusts `ca` only. */
function getTrusting(url: string, ca: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    httpsGet(url, { ca }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    }).on('error', reject);
  });
}
let ports: { port: number; adminPort: number };

beforeAll(async () => {
  await ensureBuilt();
  ports = { port: await freePort(), adminPort: await freePort() };
  writeFileSync(configFile, JSON.stringify(ports));
});

afterAll(() => removeDaemonDataDir(dataDir));

describe('nexusctl with HTTPS configured by tls init', { timeout: 120_000 }, () => {
  it('tls init sets the certificate in the config file, keeping its settings, and says to restart', async () => {
    const init = await runCli(['tls', 'init', ...dir]);
    expect(init.code).toBe(0);
    const tls = { cert: join(dataDir, 'tls', 'server.crt'), key: join(dataDir, 'tls', 'server.key') };
    expect(JSON.parse(readFileSync(configFile, 'utf8'))).toEqual({ ...ports, tls });
    expect(init.stdout).toContain(`set in ${configFile}: "tls": { "cert": "${tls.cert}", "key": "${tls.key}" }`);
    expect(init.stdout).toContain('Restart the appliance to serve HTTPS: nexusctl restart');
    expect(init.stdout).toContain(`It listens on 127.0.0.1 only: for phones on the LAN, set "host": "0.0.0.0" in ${configFile} too.`);
    expect(init.stdout).toMatch(new RegExp(`open https://\\S+:${ports.port}/nexus-ca\\.crt there`));
    expect(init.stdout).toContain(`\n     ${new X509Certificate(readFileSync(caFile)).fingerprint256}\n`);
  });

  it('start, status, health, chat and restart work over https', async () => {
    const started = await runCli(['start', '--wait-seconds', '30', ...dir], { timeoutMs: 60_000 });
    expect(started.stderr).toBe('');
    expect(started.stdout).toMatch(/started PID \d+ · https:\/\/127\.0\.0\.1:\d+/);

    const status = await runCli(['status', '--json', ...dir]);
    expect(status.stderr).toBe('');
    expect(JSON.parse(status.stdout)).toMatchObject({ state: 'serving' });
    const health = await runCli(['health', ...dir]);
    expect(health.stdout.trim()).toBe('healthy');
    expect(health.code).toBe(0);
    const chat = await runCli(['chat', ...dir], { input: 'What does river mean?\n' });
    expect(chat.stderr).toBe('');
    expect(chat.stdout).toContain('a large natural stream of water');

    // The CA a phone installs, served by the appliance (checked here against that same CA, as a phone that trusts it would).
    const served = await getTrusting(`https://127.0.0.1:${ports.port}/nexus-ca.crt`, readFileSync(caFile, 'utf8'));
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('application/x-x509-ca-cert');
    expect(served.body).toBe(readFileSync(caFile, 'utf8'));

    const restarted = await runCli(['restart', '--wait-seconds', '30', ...dir], { timeoutMs: 90_000 });
    expect(restarted.stderr).toBe('');
    expect(restarted.code).toBe(0);
    expect((await runCli(['status', ...dir])).code).toBe(0);
    expect((await runCli(['stop', ...dir], { timeoutMs: 60_000 })).code).toBe(0);
  });
});
