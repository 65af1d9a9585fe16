// The CLI retest's fixes for a background appliance: restart keeps start's flags across stop and failed starts; an invalid config saved while it runs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../../runtime/node/cli/pid-file.js';
import { freePort } from '../../support/free-port.js';
import { ensureBuilt, removeDaemonDataDir, runCli } from './cli-harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'nexusctl-retest-daemon-'));
const dir = ['--data-dir', dataDir];
const configFile = join(dataDir, 'config.json');
const endpoints = () => JSON.parse(readFileSync(join(dataDir, 'nexus.endpoints.json'), 'utf8')) as { pid: number; lanUrl: string; adminUrl: string };
let ports: { port: number; adminPort: number };

/** Holds `port` on loopback while `body` runs, as another program would. */
async function whileHeld(port: number, body: () => Promise<void>): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  try {
    await body();
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

beforeAll(async () => {
  await ensureBuilt();
  ports = { port: await freePort(), adminPort: await freePort() };
}, 120_000);

afterAll(() => removeDaemonDataDir(dataDir));

describe('a background appliance started with port flags', { timeout: 120_000 }, () => {
  it('restart after a stop, and after a failed restart, comes back on the ports start was given', async () => {
    // No config file: the ports exist only as start's flags.
    const started = await runCli(['start', '--port', String(ports.port), '--admin-port', String(ports.adminPort), ...dir], { timeoutMs: 90_000 });
    expect(started.code, started.stderr).toBe(0);
    expect((await runCli(['stop', ...dir])).code).toBe(0);

    const restarted = await runCli(['restart', ...dir], { timeoutMs: 90_000 });
    expect(restarted.stderr).toBe('');
    expect(endpoints()).toMatchObject({ lanUrl: `http://127.0.0.1:${ports.port}`, adminUrl: `http://127.0.0.1:${ports.adminPort}` });

    expect((await runCli(['stop', ...dir])).code).toBe(0);
    await whileHeld(ports.port, async () => {
      const failed = await runCli(['restart', ...dir], { timeoutMs: 90_000 });
      expect(failed.code).toBe(9);
      expect(failed.stderr).toContain(`127.0.0.1:${ports.port} is already in use`);
    });
    const again = await runCli(['restart', ...dir], { timeoutMs: 90_000 });
    expect(again.stderr).toBe('');
    expect(endpoints()).toMatchObject({ lanUrl: `http://127.0.0.1:${ports.port}`, adminUrl: `http://127.0.0.1:${ports.adminPort}` });
  });

  it('a config typo saved while it runs: status, logs and stop work with a warning; restart and start refuse it, naming the key', async () => {
    const { pid } = endpoints();
    writeFileSync(configFile, JSON.stringify({ queue: { size: 0 } }));
    try {
      const warning = /^nexusctl: warning: the config is invalid, going on without it \(start and restart refuse it\): \[\S*config\.json: queue\.size\] expected number ≥ 1, got 0\n$/;
      const status = await runCli(['status', ...dir]);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/state\s+serving/);
      expect(status.stderr).toMatch(warning);
      const logs = await runCli(['logs', '-n', '3', ...dir]);
      expect(logs.code).toBe(0);
      expect(logs.stdout).not.toBe('');

      const restart = await runCli(['restart', ...dir], { timeoutMs: 90_000 });
      expect(restart.code).toBe(5);
      expect(restart.stderr.trim()).toMatch(/^nexusctl: \[\S*config\.json: queue\.size\] expected number ≥ 1, got 0$/);
      expect(isProcessAlive(pid)).toBe(true);

      const stop = await runCli(['stop', ...dir], { timeoutMs: 60_000 });
      expect(stop.stdout).toBe(`stopped PID ${pid}\n`);
      expect(stop.stderr).toMatch(warning);
      expect(isProcessAlive(pid)).toBe(false);

      const start = await runCli(['start', ...dir], { timeoutMs: 90_000 });
      expect(start.code).toBe(5);
      expect(start.stderr).toContain('queue.size] expected number ≥ 1, got 0');
      const stopped = await runCli(['status', ...dir]);
      expect(stopped.code).toBe(3);
      expect(stopped.stderr).toContain('the appliance is not running');
    } finally {
      rmSync(configFile, { force: true });
    }
  });
});
