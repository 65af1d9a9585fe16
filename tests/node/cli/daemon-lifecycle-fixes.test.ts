// A background appliance through its life: readable control output, restart keeping start's flags, status after stop.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/free-port.js';
import { ensureBuilt, removeDaemonDataDir, runCli } from './cli-harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'nexusctl-lifecycle-'));
const dir = ['--data-dir', dataDir];
const endpoints = () => JSON.parse(readFileSync(join(dataDir, 'nexus.endpoints.json'), 'utf8')) as { pid: number; lanUrl: string; adminUrl: string };
let ports: { port: number; adminPort: number };

beforeAll(async () => {
  await ensureBuilt();
  ports = { port: await freePort(), adminPort: await freePort() };
  // No config file: the ports exist only as start's flag and a NEXUS_* variable of start's shell.
  const started = await runCli(['start', '--port', String(ports.port), ...dir], { env: { NEXUS_ADMIN_PORT: String(ports.adminPort) }, timeoutMs: 110_000 });
  expect(started.code, started.stderr).toBe(0);
}, 120_000);

afterAll(() => removeDaemonDataDir(dataDir));

describe('nexusctl through an appliance life', { timeout: 120_000 }, () => {
  it('pause, resume and save print a readable line; --json prints the JSON', async () => {
    expect((await runCli(['pause', ...dir])).stdout).toBe('paused: new requests are refused until nexusctl resume (state paused)\n');
    expect((await runCli(['resume', ...dir])).stdout).toBe('resumed: taking requests (state serving)\n');
    const saved = await runCli(['save', ...dir]);
    expect(saved.stdout).toMatch(/^saved checkpoint checkpoint-\S+\.nxck \(\d+\.\d KiB\)\n$/);
    const asJson = JSON.parse((await runCli(['save', '--json', ...dir])).stdout) as { ok: boolean; checkpoint: { id: string } };
    expect(asJson).toMatchObject({ ok: true, checkpoint: { id: expect.stringMatching(/\.nxck$/) } });
  });

  it('restart without flags, from a shell without start\'s variables, comes back with the ports start was given', async () => {
    const before = endpoints();
    expect(before.adminUrl).toBe(`http://127.0.0.1:${ports.adminPort}`);
    const restarted = await runCli(['restart', ...dir], { timeoutMs: 110_000 });
    expect(restarted.stderr).toBe('');
    expect(restarted.stdout).toMatch(new RegExp(`started PID \\d+ · http://127\\.0\\.0\\.1:${ports.port}`));
    const after = endpoints();
    expect(after.pid).not.toBe(before.pid);
    expect(after).toMatchObject({ lanUrl: `http://127.0.0.1:${ports.port}`, adminUrl: `http://127.0.0.1:${ports.adminPort}` });
  });

  it('restart with a config naming a model that is not installed refuses before stopping, and the appliance runs on', async () => {
    const before = endpoints();
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ model: 'smollm2-360m-instruct' }));
    try {
      const refused = await runCli(['restart', ...dir], { timeoutMs: 60_000 });
      expect(refused.stderr.trim()).toMatch(/^nexusctl: not restarting: model file not found: \S+smollm2-360m-instruct \(pull it with: nexusctl models pull smollm2-360m-instruct\); the appliance runs on as it was$/);
      expect(refused.code).toBe(6);
      expect(endpoints().pid).toBe(before.pid);
      expect((await runCli(['status', ...dir])).stdout).toMatch(/serving/);
    } finally {
      rmSync(join(dataDir, 'config.json'), { force: true });
    }
  });

  it('after stop, status says the appliance is not running', async () => {
    expect((await runCli(['stop', ...dir], { timeoutMs: 60_000 })).code).toBe(0);
    const status = await runCli(['status', ...dir]);
    expect(status.code).toBe(3);
    expect(status.stderr).toMatch(/^nexusctl: the appliance is not running: no live PID in \S+nexus\.pid/);
  });
});
