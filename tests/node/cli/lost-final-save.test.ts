// An appliance whose checkpoints cannot be written: health says so from the start, and stop says the final save was lost.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/free-port.js';
import { ensureBuilt, removeDaemonDataDir, runCli } from './cli-harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'nexusctl-lost-save-'));
const dir = ['--data-dir', dataDir];

beforeAll(async () => {
  await ensureBuilt();
  // A file where the checkpoints directory should be: nothing can be read or saved there.
  writeFileSync(join(dataDir, 'checkpoints'), 'not a directory');
  const started = await runCli(['start', '--port', String(await freePort()), '--admin-port', String(await freePort()), ...dir], { timeoutMs: 110_000 });
  expect(started.code, started.stderr).toBe(0);
}, 120_000);

afterAll(() => removeDaemonDataDir(dataDir));

describe('checkpoints that cannot be written', { timeout: 120_000 }, () => {
  it('health is degraded from the start, naming why, not healthy until the first save fails', async () => {
    const health = await runCli(['health', ...dir]);
    expect(health.stdout).toMatch(/^degraded/);
    expect(health.stdout).toMatch(/checkpoints could not be read at start: .*ENOTDIR/);
    expect(health.code).toBe(1);
  });

  it('stop says the final checkpoint was not saved and exits 1, instead of a plain "stopped"', async () => {
    const stopped = await runCli(['stop', ...dir], { timeoutMs: 60_000 });
    expect(stopped.stdout).toMatch(/^stopped PID \d+\n$/);
    expect(stopped.stderr).toMatch(/^nexusctl: its final checkpoint was not saved \(checkpoint could not be written to .*checkpoints: .*\): what it learned since its last save is lost; nexusctl logs has the details\n$/);
    expect(stopped.code).toBe(1);
  });
});
