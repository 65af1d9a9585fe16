// nexusctl token and tls init on a temp data dir: the key as the last line, rotation, certificates that verify.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './cli-harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'nexusctl-token-'));
const lastLine = (text: string) => text.trim().split('\n').at(-1);

beforeAll(ensureBuilt);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('nexusctl token', () => {
  it('creates a key once, prints it as the last line, and --rotate replaces it', async () => {
    const first = await runCli(['token', '--data-dir', dataDir]);
    expect(first.code).toBe(0);
    const key = lastLine(first.stdout);
    expect(key).toMatch(/^\S{20,}$/);
    expect(readFileSync(join(dataDir, 'admin.key'), 'utf8').trim()).toBe(key);
    expect(statSync(join(dataDir, 'admin.key')).mode & 0o777).toBe(0o600);
    expect(lastLine((await runCli(['token', '--data-dir', dataDir])).stdout)).toBe(key);
    const rotated = lastLine((await runCli(['token', '--rotate', '--data-dir', dataDir])).stdout);
    expect(rotated).not.toBe(key);
    expect(lastLine((await runCli(['token', '--data-dir', dataDir])).stdout)).toBe(rotated);
  });

  it('token create with a keys.json that is not JSON names the file and the way out, and leaves it as it was', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'nexusctl-keys-'));
    try {
      const file = join(broken, 'keys.json');
      writeFileSync(file, '{garbage');
      const created = await runCli(['token', 'create', '--name', 'phone', '--data-dir', broken]);
      expect(created.stderr.trim()).toMatch(new RegExp(`^nexusctl: \\[${file}\\] not valid JSON \\(.+\\); fix it, or move it away and create keys again with nexusctl token create$`));
      expect(created.code).toBe(5);
      expect(readFileSync(file, 'utf8')).toBe('{garbage');
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});

describe('nexusctl tls init', () => {
  it('makes a CA and a server certificate for this host that verifies, and refuses to overwrite', async () => {
    const result = await runCli(['tls', 'init', '--name', 'nexus.example', '--data-dir', dataDir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"tls": { "cert"');
    expect(result.stdout).toMatch(/Android/);
    expect(result.stdout).toMatch(/iOS/);
    const tls = join(dataDir, 'tls');
    expect(execFileSync('openssl', ['verify', '-CAfile', join(tls, 'nexus-ca.crt'), join(tls, 'server.crt')]).toString()).toContain('OK');
    const names = execFileSync('openssl', ['x509', '-in', join(tls, 'server.crt'), '-noout', '-ext', 'subjectAltName']).toString();
    expect(names).toContain('DNS:localhost');
    expect(names).toContain('DNS:nexus.example');
    expect(names).toContain('IP Address:127.0.0.1');
    expect(statSync(join(tls, 'server.key')).mode & 0o777).toBe(0o600);
    expect((await runCli(['tls', 'init', '--data-dir', dataDir])).code).toBe(9);
  });
});
