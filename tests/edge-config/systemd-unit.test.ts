// Tests of edge-config/nexus-edge.service: the hardening it promises, and systemd-analyze's verdict where systemd is installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { daemonEnvironment, daemonNodeFlags } from '../../runtime/node/appliance/daemon-process-tuning.js';

const unitPath = new URL('../../edge-config/nexus-edge.service', import.meta.url);
const unitText = readFileSync(unitPath, 'utf8');

/** Directive → values (a directive may repeat), per section. */
function parseUnit(text: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) section = line.slice(1, -1);
    else {
      const at = line.indexOf('=');
      const key = `${section}.${line.slice(0, at)}`;
      directives.set(key, [...(directives.get(key) ?? []), line.slice(at + 1)]);
    }
  }
  return directives;
}
const unit = parseUnit(unitText);
const value = (key: string) => unit.get(key)?.at(-1);

/** The absolute path of a program on PATH, or undefined. */
function which(program: string): string | undefined {
  const found = spawnSync('which', [program], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

describe('nexus-edge.service', () => {
  it('runs nexusctl serve as the nexus user with the Pi 4 profile and the state directory', () => {
    expect(value('Service.User')).toBe('nexus');
    expect(value('Service.ExecStart')).toBe(`/usr/bin/node ${daemonNodeFlags.join(' ')} /opt/nexus-edge/dist/runtime/node/cli/nexusctl.js serve --profile pi4-4gb`);
    expect(unit.get('Service.Environment')).toContain('NEXUS_DATA_DIR=/var/lib/nexus-edge');
    // The same process tuning as `nexusctl start`.
    for (const [name, setting] of Object.entries(daemonEnvironment)) expect(unit.get('Service.Environment')).toContain(`${name}=${setting}`);
    expect(value('Service.StateDirectory')).toBe('nexus-edge');
    expect(value('Service.ReadWritePaths')?.split(/\s+/)).toContain('/var/lib/nexus-edge');
    expect(value('Install.WantedBy')).toBe('multi-user.target');
  });

  it('reloads on SIGHUP, stops on SIGTERM within 30 s, restarts on failure', () => {
    expect(value('Service.ExecReload')).toBe('/bin/kill -HUP $MAINPID');
    expect(value('Service.KillSignal')).toBe('SIGTERM');
    expect(value('Service.TimeoutStopSec')).toBe('30');
    expect(value('Service.Restart')).toBe('on-failure');
  });

  it('is hardened', () => {
    expect(value('Service.NoNewPrivileges')).toBe('yes');
    expect(value('Service.ProtectSystem')).toBe('strict');
    expect(value('Service.ProtectHome')).toBe('yes');
    expect(value('Service.PrivateTmp')).toBe('yes');
    expect(value('Service.CapabilityBoundingSet')).toBe('');
    expect(value('Service.RestrictAddressFamilies')?.split(/\s+/).sort()).toEqual(['AF_INET', 'AF_INET6', 'AF_UNIX']);
    expect(value('Service.MemoryMax')).toMatch(/^\d+[KMG]?$/);
    expect(value('Service.DynamicUser')).toBeUndefined();
  });

  it('passes systemd-analyze verify (where systemd-analyze is installed)', () => {
    const analyze = which('systemd-analyze');
    if (analyze === undefined) {
      // Nothing more to check on a machine without systemd; the content tests above still ran.
      expect(existsSync('/run/systemd/system')).toBe(false);
      return;
    }
    // verify fails when an Exec*= program is missing on the checking machine (say, no /usr/bin/node
    // here), which says nothing about the unit: verify a copy where each missing program is replaced
    // by this Node binary, which exists. The copy keeps the file name, which verify also checks.
    const dir = mkdtempSync(path.join(tmpdir(), 'nexus-unit-'));
    try {
      const copy = unitText.replace(/^(Exec\w+=)(\S+)/gm, (line, key: string, program: string) => (existsSync(program) ? line : `${key}${process.execPath}`));
      const file = path.join(dir, 'nexus-edge.service');
      writeFileSync(file, copy);
      const result = spawnSync(analyze, ['verify', file], { encoding: 'utf8' });
      // Complaints about other units on the machine are not ours; keep those naming this one.
      const ours = `${result.stdout}${result.stderr}`.split('\n').filter((line) => line.includes('nexus-edge'));
      expect(ours).toEqual([]);
      expect(result.status).toBe(0);

      const version = Number(/systemd (\d+)/.exec(execFileSync(analyze, ['--version'], { encoding: 'utf8' }))?.[1] ?? 0);
      if (version >= 250) {
        const security = spawnSync(analyze, ['security', '--offline=true', '--no-pager', file], { encoding: 'utf8' });
        const exposure = Number(/Overall exposure level for nexus-edge\.service: ([\d.]+)/.exec(security.stdout)?.[1]);
        expect(exposure).toBeLessThan(3);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
