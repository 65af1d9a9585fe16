// nexusctl tls init, the built CLI with real openssl: names are validated, --force keeps the CA phones already trust, --new-ca replaces it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDnsName, isIpAddress } from '../../../edge-config/host-name.js';
import { tlsNames } from '../../../runtime/node/cli/tls-names.js';
import { ensureBuilt, runCli } from '../cli/cli-harness.js';

const scratch = mkdtempSync(join(tmpdir(), 'nexus-tls-init-'));
const subjectAltNames = (cert: string) => execFileSync('openssl', ['x509', '-in', cert, '-noout', '-ext', 'subjectAltName']).toString();
const verifies = (ca: string, cert: string) => execFileSync('openssl', ['verify', '-CAfile', ca, cert]).toString().includes('OK');

beforeAll(async () => {
  await ensureBuilt();
}, 300_000);
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('certificate names', () => {
  it('DNS names and IPv4/IPv6 literals are accepted; anything else is INVALID_OPTION [--name]', () => {
    for (const good of ['nexus.lan', 'pi-5.local', 'localhost', 'xn--bcher-kva.example']) expect(isDnsName(good), good).toBe(true);
    for (const good of ['192.168.1.20', 'fd00::1', '::1']) expect(isIpAddress(good), good).toBe(true);
    for (const bad of ['bad name!', 'under_score.lan', '-lead.lan', 'a..b', '1.2.3', '999.1.1.1', 'x'.repeat(64), 'fe80::1%eth0', 'https://nexus.lan', '']) {
      expect(() => tlsNames([bad]), bad).toThrow(/^\[--name\] .* is not a DNS name or an IP address/);
    }
    const names = tlsNames(['nexus.lan', '192.168.7.7', 'fd00::7']);
    expect(names.dns).toContain('nexus.lan');
    expect(names.ip).toEqual(expect.arrayContaining(['192.168.7.7', 'fd00::7']));
  });

  it("the user report: --name 'bad name!' is refused (exit 5) and nothing is written", async () => {
    const dataDir = join(scratch, 'bad');
    const result = await runCli(['tls', 'init', '--name', 'bad name!', '--data-dir', dataDir]);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/^nexusctl: \[--name\] "bad name!" is not a DNS name or an IP address/);
    expect(existsSync(join(dataDir, 'tls'))).toBe(false);
  });
});

describe('--force and --new-ca', () => {
  const dataDir = join(scratch, 'data');
  const tls = join(dataDir, 'tls');
  const ca = join(tls, 'nexus-ca.crt');
  const server = join(tls, 'server.crt');

  it('--force to add a name keeps the CA (bytes unchanged) and issues a server certificate it signs', async () => {
    const first = await runCli(['tls', 'init', '--name', 'nexus.lan', '--data-dir', dataDir]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('How to trust the CA');
    const caBefore = readFileSync(ca);
    const caKeyBefore = readFileSync(join(tls, 'nexus-ca.key'));

    // nexus.lan is not given again: the new certificate keeps it from the one it replaces.
    const again = await runCli(['tls', 'init', '--force', '--name', 'kitchen.lan', '--name', '192.168.7.7', '--data-dir', dataDir]);
    expect(again.code).toBe(0);
    expect(readFileSync(ca).equals(caBefore)).toBe(true);
    expect(readFileSync(join(tls, 'nexus-ca.key')).equals(caKeyBefore)).toBe(true);
    expect(again.stdout).toMatch(/issued a new server certificate .* signed by the local CA already there/);
    expect(again.stdout).not.toContain('How to trust the CA');
    expect(subjectAltNames(server)).toMatch(/DNS:kitchen\.lan/);
    expect(subjectAltNames(server)).toMatch(/IP Address:192\.168\.7\.7/);
    expect(subjectAltNames(server)).toMatch(/DNS:nexus\.lan/);
    expect(again.stdout).toContain('kept from the certificate it replaces: nexus.lan (--replace-names leaves them out)');
    expect(verifies(ca, server)).toBe(true);
  });

  it('--force --replace-names covers only this host and the names given now', async () => {
    const replaced = await runCli(['tls', 'init', '--force', '--replace-names', '--name', 'pantry.lan', '--data-dir', dataDir]);
    expect(replaced.code, replaced.stderr).toBe(0);
    const names = subjectAltNames(server);
    expect(names).toMatch(/DNS:pantry\.lan/);
    expect(names).not.toMatch(/nexus\.lan|kitchen\.lan|192\.168\.7\.7/);
    expect(replaced.stdout).not.toContain('kept from');
    // Issued again without new names, it covers the same ones and keeps nothing more (IPv6 read back as written).
    const same = await runCli(['tls', 'init', '--force', '--data-dir', dataDir]);
    expect(same.stdout).toContain('kept from the certificate it replaces: pantry.lan (');
    expect(subjectAltNames(server)).toBe(names);
  });

  it('--new-ca replaces the CA and says every device must trust the new one; --help documents both', async () => {
    const caBefore = readFileSync(ca);
    const replaced = await runCli(['tls', 'init', '--new-ca', '--data-dir', dataDir]);
    expect(replaced.code).toBe(0);
    expect(readFileSync(ca).equals(caBefore)).toBe(false);
    expect(replaced.stdout).toMatch(/the CA was replaced \(asked for with --new-ca\): every device must trust the new nexus-ca\.crt/);
    expect(verifies(ca, server)).toBe(true);

    // Read as one line: commander wraps the descriptions to the terminal's width.
    const help = (await runCli(['tls', 'init', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toMatch(/--force .*the local CA is kept while it is valid/);
    expect(help).toMatch(/--replace-names with --force or --new-ca: cover only this host's names and the --name given now/);
    expect(help).toMatch(/--new-ca .*also replace the local CA/);
  });
});
