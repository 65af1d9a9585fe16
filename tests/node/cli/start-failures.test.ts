// nexusctl start when the daemon cannot start: the reason and readable log lines, no stale PID file, a log of JSON lines only.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/free-port.js';
import { ensureBuilt, removeDaemonDataDir, runCli } from './cli-harness.js';

const dataDirs: string[] = [];

function newDataDir(config: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'nexusctl-start-failure-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  dataDirs.push(dir);
  return dir;
}

/** The log's lines, each parsed: JSON.parse throws on a plain-text line. */
function logEntries(dataDir: string): Array<Record<string, unknown>> {
  const text = readFileSync(join(dataDir, 'logs', 'nexus.log'), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      expect(() => JSON.parse(line), line).not.toThrow();
      return JSON.parse(line) as Record<string, unknown>;
    });
}

beforeAll(ensureBuilt);

afterAll(async () => {
  for (const dir of dataDirs) await removeDaemonDataDir(dir);
});

describe('nexusctl start, failing', { timeout: 120_000 }, () => {
  it('a file where the log directory goes: start says so and how out, exit 5, no daemon left', async () => {
    const dir = newDataDir({});
    writeFileSync(join(dir, 'logs'), 'a file, not a directory');
    const started = await runCli(['start', '--port', String(await freePort()), '--admin-port', String(await freePort()), '--data-dir', dir]);
    expect(started.stderr.trim()).toBe(`nexusctl: cannot make the log directory ${join(dir, 'logs')}: a file is in the way of that directory (move it, or set logs.file in the config)`);
    expect(started.code).toBe(5);
    expect(existsSync(join(dir, 'nexus.pid'))).toBe(false);
  });

  it('a daemon that exits during start: its reason, then the log lines readable; the log stays JSON', async () => {
    const dataDir = newDataDir({});
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ model: join(dataDir, 'no-model'), port: await freePort(), adminPort: await freePort() }));
    const started = await runCli(['start', '--data-dir', dataDir], { timeoutMs: 60_000 });
    const [headline, ...rest] = started.stderr.trim().split('\n');
    expect(headline).toMatch(/^nexusctl: the appliance exited during start: model file not found: .*no-model/);
    expect(rest[0]).toBe('last log lines:');
    expect(rest.slice(1).join('\n')).toMatch(/^ {2}\d\d:\d\d:\d\d\.\d{3} ERROR appliance\.start_failed reason="model file not found/m);
    expect(started.code).toBe(6); // the model is missing
    expect(existsSync(join(dataDir, 'nexus.pid'))).toBe(false);
    expect(logEntries(dataDir).at(-1)).toMatchObject({ level: 'fatal', event: 'appliance.fatal', code: 'MODEL_NOT_FOUND' });
  });

  it('a port held by another appliance: the second start fails naming the port, leaves no PID file, logs JSON', async () => {
    const port = await freePort();
    const first = newDataDir({ port, adminPort: await freePort() });
    expect((await runCli(['start', '--data-dir', first], { timeoutMs: 110_000 })).code).toBe(0);
    const second = newDataDir({});
    const started = await runCli(['start', '--data-dir', second, '--port', String(port), '--admin-port', String(await freePort())], { timeoutMs: 110_000 });
    expect(started.stdout).toBe('');
    expect(started.code).toBe(9);
    expect(started.stderr).toMatch(new RegExp(`^nexusctl: the appliance exited during start: .*127\\.0\\.0\\.1:${port} is already in use`));
    expect(existsSync(join(second, 'nexus.pid'))).toBe(false);
    expect(logEntries(second).at(-1)).toMatchObject({ level: 'fatal', event: 'appliance.fatal', details: { errno: 'EADDRINUSE' } });
    const logs = await runCli(['logs', '--json', '--data-dir', second]);
    for (const line of logs.stdout.trim().split('\n')) expect(() => JSON.parse(line), line).not.toThrow();
    // The first one serves on.
    expect((await runCli(['status', '--json', '--data-dir', first])).code).toBe(0);
    expect((await runCli(['stop', '--data-dir', first], { timeoutMs: 60_000 })).code).toBe(0);
  });

  it('a daemon not ready in time: the wait and the log lines of this start, readable', async () => {
    const dataDir = newDataDir({ port: await freePort(), adminPort: await freePort() });
    mkdirSync(join(dataDir, 'logs'));
    writeFileSync(join(dataDir, 'logs', 'nexus.log'), '{"time":"2026-01-01T00:00:00.000Z","level":"info","event":"an.earlier.run"}\n');
    // The appliance serves but cannot record where: start never sees it ready.
    mkdirSync(join(dataDir, 'nexus.endpoints.json'));
    const started = await runCli(['start', '--wait-seconds', '5', '--data-dir', dataDir], { timeoutMs: 60_000 });
    expect(started.code).toBe(10);
    const [headline, ...rest] = started.stderr.trim().split('\n');
    expect(headline).toMatch(/^nexusctl: the appliance \(PID \d+\) was not ready within 5 s/);
    expect(rest[0]).toBe('last log lines:');
    expect(rest.join('\n')).toMatch(/^ {2}\d\d:\d\d:\d\d\.\d{3} WARN {2}appliance\.endpoints_unwritten/m);
    expect(rest.join('\n')).not.toContain('an.earlier.run');
  });
});
