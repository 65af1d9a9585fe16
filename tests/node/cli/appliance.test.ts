// nexusctl against a real background appliance: start, status, save, ask --url, logs, stop, with the checkpoint on disk.
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAdminKey } from '../../../runtime/node/appliance/admin-key.js';
import { daemonEnvironment, daemonNodeFlags } from '../../../runtime/node/appliance/daemon-process-tuning.js';
import { readPid } from '../../../runtime/node/cli/pid-file.js';
import { ensureBuilt, removeDaemonDataDir, runCli } from './cli-harness.js';
import { freePort } from '../../support/free-port.js';

const dataDir = mkdtempSync(join(tmpdir(), 'nexusctl-appliance-'));
const dir = ['--data-dir', dataDir];
let ports: { port: number; adminPort: number };

beforeAll(async () => {
  const [port, adminPort] = [await freePort(), await freePort()];
  // Every later command finds the ports the way an operator's would: in <dataDir>/config.json.
  // Logs at their smallest size limit so the test can see them rotate while the daemon runs.
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ port, adminPort, checkpoint: { intervalSeconds: 3600 }, logs: { maxBytes: 4096, keep: 2 } }));
  ports = { port, adminPort };
  await ensureBuilt();
});

afterAll(() => removeDaemonDataDir(dataDir));

describe('nexusctl with a background appliance', () => {
  it('start waits until ready and writes the PID and log files; a second start is refused', async () => {
    const started = await runCli(['start', ...dir], { timeoutMs: 120_000 });
    expect(started.stderr).toBe('');
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/started PID \d+/);
    expect(existsSync(join(dataDir, 'nexus.pid'))).toBe(true);
    expect(existsSync(join(dataDir, 'logs', 'nexus.log'))).toBe(true);
    // The daemon runs with the memory tuning the systemd unit uses too.
    const pid = await readPid(join(dataDir, 'nexus.pid'));
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    for (const flag of daemonNodeFlags) expect(argv).toContain(flag);
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    for (const [name, value] of Object.entries(daemonEnvironment)) expect(environ).toContain(`${name}=${process.env[name] ?? value}`);
    const again = await runCli(['start', ...dir]);
    expect(again.code).toBe(9);
    expect(again.stderr).toMatch(/^nexusctl: the appliance is already running/);
  }, 130_000);

  it('status --json reports the model; status is readable; health exits 0', async () => {
    const status = await runCli(['status', '--json', ...dir]);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout) as { model: { id: string }; pid: number };
    expect(parsed.model.id).toBe('lexicon-tiny');
    expect(parsed.pid).toBe(await readPid(join(dataDir, 'nexus.pid')));
    const readable = await runCli(['status', ...dir]);
    expect(readable.stdout).toMatch(/model\s+lexicon-tiny/);
    expect((await runCli(['health', ...dir])).code).toBe(0);
  });

  it('ask --url answers through the running appliance', async () => {
    const target = JSON.parse((await runCli(['status', '--json', ...dir])).stdout) as unknown;
    expect(target).toBeTruthy();
    const url = (await runCli(['dashboard', ...dir])).stdout.trim().replace('/#/dashboard', '');
    const result = await runCli(['ask', '--json', '--url', url, 'What does river mean?']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ decision: 'answered', source: 'model' });
  });

  it('save writes a checkpoint the offline tools can verify', async () => {
    const saved = await runCli(['save', ...dir]);
    expect(saved.stderr).toBe('');
    expect(saved.code).toBe(0);
    const verified = await runCli(['checkpoint', 'verify', ...dir]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/ok\s+\S+/);
  });

  it('logs shows readable lines from the JSON log', async () => {
    const logs = await runCli(['logs', '-n', '5', ...dir]);
    expect(logs.code).toBe(0);
    expect(logs.stdout.trim().split('\n').length).toBeGreaterThan(0);
    expect(logs.stdout).toMatch(/\d\d:\d\d:\d\d\.\d{3} (INFO|WARN|DEBUG|ERROR)/);
  });

  it('rotates its log by size while it runs, every line whole, at most keep old files', async () => {
    const adminKey = await readAdminKey(dataDir);
    const control = (action: string) =>
      fetch(`http://127.0.0.1:${ports.adminPort}/api/control`, { method: 'POST', headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ action }) });
    // Each pause/resume logs two lines (the control and the state change): enough to pass 4096 bytes a few times.
    for (let i = 0; i < 40; i++) expect((await control(i % 2 ? 'resume' : 'pause')).status).toBe(200);
    const log = join(dataDir, 'logs', 'nexus.log');
    expect(existsSync(`${log}.1`)).toBe(true);
    expect(existsSync(`${log}.2`)).toBe(true);
    expect(existsSync(`${log}.3`)).toBe(false);
    for (const file of [log, `${log}.1`, `${log}.2`]) {
      const text = readFileSync(file, 'utf8');
      expect(statSync(file).size).toBeLessThanOrEqual(4096);
      for (const line of text.split('\n').filter(Boolean)) expect(() => JSON.parse(line), line).not.toThrow();
    }
    expect(readFileSync(log, 'utf8') + readFileSync(`${log}.1`, 'utf8')).toMatch(/"event":"control"/);
  });

  it('stop exits the daemon with a checkpoint on disk; then status exits 3 and health 2', async () => {
    const before = JSON.parse((await runCli(['checkpoint', 'list', '--json', ...dir])).stdout) as { checkpoints: unknown[] };
    const stopped = await runCli(['stop', ...dir], { timeoutMs: 60_000 });
    expect(stopped.code).toBe(0);
    expect(existsSync(join(dataDir, 'nexus.pid'))).toBe(false);
    const after = JSON.parse((await runCli(['checkpoint', 'list', '--json', ...dir])).stdout) as { checkpoints: Array<{ ok: boolean }> };
    expect(after.checkpoints.length).toBeGreaterThan(before.checkpoints.length);
    expect(after.checkpoints.every((checkpoint) => checkpoint.ok)).toBe(true);
    expect((await runCli(['status', ...dir])).code).toBe(3);
    expect((await runCli(['health', ...dir])).code).toBe(2);
    expect((await runCli(['stop', ...dir])).code).toBe(3);
  }, 70_000);
});
