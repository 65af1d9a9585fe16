// Tests of edge-config/install.sh: syntax, --help, options, and a --dry-run that changes nothing.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../edge-config/install.sh', import.meta.url));
const bash = (args: string[], env: NodeJS.ProcessEnv = process.env) => spawnSync('bash', [script, ...args], { encoding: 'utf8', env });

const fakeBin = mkdtempSync(path.join(tmpdir(), 'nexus-install-'));
afterAll(() => rmSync(fakeBin, { recursive: true, force: true }));

describe('install.sh', () => {
  it('is valid bash and strict', () => {
    const check = spawnSync('bash', ['-n', script], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    expect(spawnSync('grep', ['-q', '^set -euo pipefail$', script]).status).toBe(0);
  });

  it('prints its usage with --help', () => {
    const help = bash(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage:');
    expect(help.stdout).toContain('--dry-run');
  });

  it('refuses an unknown option or profile', () => {
    expect(bash(['--bogus']).status).not.toBe(0);
    const profile = bash(['--dry-run', '--profile', 'pi3']);
    expect(profile.status).not.toBe(0);
    expect(profile.stderr).toContain("unknown profile 'pi3'");
  });

  it('prints every step under --dry-run and changes nothing', () => {
    const before = ['/opt/nexus-edge', '/etc/systemd/system/nexus-edge.service', '/var/lib/nexus-edge'].map(existsSync);
    const run = bash(['--dry-run', '--profile', 'pi4-4gb']);
    expect(run.stderr).not.toContain('install.sh:');
    expect(run.status).toBe(0);
    const steps = run.stdout;
    for (const step of [
      'install -d -m 0755 /opt/nexus-edge',
      'npm ci --ignore-scripts',
      'npm run build',
      'npm prune --omit=dev',
      'install -d -o nexus -g nexus -m 0750 /var/lib/nexus-edge',
      '/etc/systemd/system/nexus-edge.service',
      'systemctl daemon-reload',
      'systemctl enable nexus-edge.service',
      'systemctl restart nexus-edge.service',
    ]) {
      expect(steps).toContain(step);
    }
    expect(steps).toMatch(/nexusctl\.js token|An admin key exists already/);
    expect(steps).toContain('--profile pi4-4gb#');
    expect(steps).toContain('MemoryMax=2G');
    expect(steps).toMatch(/LAN API: +http:\/\/\S+:8080\//);
    expect(steps).toContain('would be installed');
    expect(['/opt/nexus-edge', '/etc/systemd/system/nexus-edge.service', '/var/lib/nexus-edge'].map(existsSync)).toEqual(before);
  });

  it('sizes the unit for the profile it is given', () => {
    expect(bash(['--dry-run', '--profile=pi5-8gb']).stdout).toContain('MemoryMax=4G');
  });

  it('refuses a Node.js older than 20.19', () => {
    const node = path.join(fakeBin, 'node');
    writeFileSync(node, '#!/bin/sh\necho v18.19.0\n');
    chmodSync(node, 0o755);
    const old = bash(['--dry-run'], { ...process.env, PATH: `${fakeBin}:${process.env.PATH}` });
    expect(old.status).not.toBe(0);
    expect(old.stderr).toContain('Node.js v18.19.0 is too old');
  });
});
