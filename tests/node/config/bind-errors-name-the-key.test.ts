// Config that fails only when the appliance binds (TLS files, an unresolvable host, a port in use) is an error naming the key, over real files and sockets.
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNexusError, type NexusError } from '../../../runtime/core/nexus-error.js';
import { loadConfig } from '../../../runtime/node/config/load-config.js';
import { ApplianceLogger } from '../../../runtime/node/appliance/appliance-logger.js';
import { startAppliance } from '../../../runtime/node/appliance/start-appliance.js';
import { listen } from '../../../runtime/node/http/http-listener.js';
import { adminListenerKeys } from '../../../runtime/node/http/listen-error.js';
import { testConfig } from '../appliance/appliance-harness.js';
import { ensureBuilt, runCli } from '../cli/cli-harness.js';

const app = { fetch: () => new Response('ok') };
let scratch: string;

/** A self-signed certificate and its key, made by openssl as `tls init` does. */
function makeCertificate(name: string): { cert: string; key: string } {
  const cert = join(scratch, `${name}.crt`);
  const key = join(scratch, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-keyout', key, '-out', cert, '-subj', `/CN=${name}`], { stdio: 'ignore' });
  return { cert, key };
}

async function configError(promise: Promise<unknown>): Promise<NexusError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isNexusError(error, 'CONFIG_INVALID')).toBe(true);
  return error as NexusError;
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'nexus-bind-errors-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('TLS files', () => {
  it('a missing file, a file that is not PEM, and a key of another certificate each name tls.cert or tls.key', async () => {
    const missing = await configError(listen(app, '127.0.0.1', 0, { cert: '/nonexistent', key: '/nonexistent' }));
    expect(missing.message).toBe('[tls.cert] cannot read the certificate /nonexistent: no such file (nexusctl tls init makes one)');

    const one = makeCertificate('one');
    const other = makeCertificate('other');
    expect((await configError(listen(app, '127.0.0.1', 0, { cert: one.cert, key: '/nonexistent' }))).message).toMatch(/^\[tls\.key\] cannot read the private key \/nonexistent: no such file/);
    const garbage = join(scratch, 'garbage.pem');
    await writeFile(garbage, 'not a certificate\n');
    expect((await configError(listen(app, '127.0.0.1', 0, { cert: garbage, key: one.key }))).message).toBe(`[tls.cert] ${garbage} is not a PEM certificate (expected -----BEGIN CERTIFICATE-----)`);
    expect((await configError(listen(app, '127.0.0.1', 0, { cert: one.cert, key: one.cert }))).message).toMatch(/^\[tls\.key\] .* is not a PEM private key/);
    expect((await configError(listen(app, '127.0.0.1', 0, { cert: one.cert, key: other.key }))).message).toBe(`[tls.key] ${other.key} is not the key of the certificate in tls.cert (${one.cert})`);

    const served = await listen(app, '127.0.0.1', 0, one);
    expect(served.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    await served.close(0);
  });
});

describe('binding', () => {
  let occupied: Server;
  let port: number;
  beforeAll(async () => {
    occupied = createServer();
    await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', resolve));
    port = (occupied.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => occupied.close(resolve));
  });

  it('a host that does not resolve names host; a port in use names port, or adminPort for the admin API', async () => {
    const host = await configError(listen(app, 'not-a-host', 0));
    expect(host.message).toMatch(/^\[host\] "not-a-host" (does not resolve to an address|could not be resolved now)/);
    const inUse = await configError(listen(app, '127.0.0.1', port));
    expect(inUse.message).toBe(`[port] 127.0.0.1:${port} is already in use (EADDRINUSE): another program (or appliance) listens there; stop it or choose another port`);
    expect((await configError(listen(app, '127.0.0.1', port, undefined, undefined, adminListenerKeys))).message).toMatch(/^\[adminPort\] 127\.0\.0\.1:\d+ is already in use/);
  });

  it('startAppliance with such a config fails with the same errors, before loading a model', async () => {
    const dataDir = join(scratch, 'data');
    const logger = new ApplianceLogger({ write: () => undefined });
    expect((await configError(startAppliance(testConfig(dataDir, { host: 'not-a-host' }), { logger, staticDir: null }))).details.key).toBe('host');
    expect((await configError(startAppliance(testConfig(dataDir, { tls: { cert: '/nonexistent', key: '/nonexistent' } }), { logger, staticDir: null }))).details.key).toBe('tls.cert');
    expect((await configError(startAppliance(testConfig(dataDir, { adminPort: port }), { logger, staticDir: null }))).details.key).toBe('adminPort');
  });
});

describe('a host that cannot be a name or an address', () => {
  it('is refused when the config loads, naming where it came from', async () => {
    await writeFile(join(scratch, 'config.json'), JSON.stringify({ host: 'bad host!' }));
    const fromFile = await configError(loadConfig({ flags: { config: join(scratch, 'config.json') }, env: {}, cwd: scratch }));
    expect(fromFile.message).toMatch(/^\[config\.json: host\] expected a DNS name such as nexus\.lan .* got "bad host!"$/);
    await writeFile(join(scratch, 'admin.json'), JSON.stringify({ adminHost: 'a..b' }));
    expect((await configError(loadConfig({ flags: { config: join(scratch, 'admin.json') }, env: {}, cwd: scratch }))).message).toMatch(/^\[admin\.json: adminHost\] expected a DNS name/);
    expect((await configError(loadConfig({ env: { NEXUS_HOST: 'http://nexus.lan' }, cwd: scratch }))).message).toMatch(/^\[NEXUS_HOST\] expected a DNS name/);
  });
});

describe('nexusctl serve', () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 300_000);

  it('the user report: --host not-a-host and a missing tls.cert are one line naming the key', async () => {
    const dataDir = join(scratch, 'serve');
    const host = await runCli(['serve', '--host', 'not-a-host', '--port', '0', '--admin-port', '0', '--data-dir', dataDir], { cwd: scratch });
    expect(host.code).not.toBe(0);
    expect(host.stderr).toMatch(/^nexusctl: \[host\] "not-a-host" /m);
    expect(host.stderr).not.toMatch(/^nexusctl: getaddrinfo/m);

    await writeFile(join(scratch, 'tls.json'), JSON.stringify({ tls: { cert: '/nonexistent', key: '/nonexistent' } }));
    const tls = await runCli(['serve', '--config', join(scratch, 'tls.json'), '--port', '0', '--admin-port', '0', '--data-dir', dataDir], { cwd: scratch });
    expect(tls.code).not.toBe(0);
    expect(tls.stderr).toMatch(/^nexusctl: \[tls\.cert\] cannot read the certificate \/nonexistent: no such file/m);
  }, 60_000);
});
