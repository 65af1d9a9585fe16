// An appliance run in a terminal (nexusctl serve, npm start), which status already saw serving: stop stops it, and an import goes to it.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/free-port.js';
import { ensureBuilt, removeDaemonDataDir, runCli, spawnCli } from './cli-harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'nexusctl-stop-serve-'));

beforeAll(ensureBuilt);
afterAll(() => removeDaemonDataDir(dataDir));

describe('nexusctl stop of an appliance in the foreground', { timeout: 120_000 }, () => {
  it('stops it gracefully (exit 0 of serve, a final checkpoint) where it said "not running" while status said serving', async () => {
    const serve = spawnCli(['serve', '--port', String(await freePort()), '--admin-port', String(await freePort()), '--data-dir', dataDir]);
    const exited = new Promise<number | null>((resolve) => serve.once('exit', (code) => resolve(code)));
    try {
      await expect.poll(() => existsSync(join(dataDir, 'nexus.endpoints.json')), { timeout: 60_000 }).toBe(true);
      expect((await runCli(['status', '--data-dir', dataDir])).stdout).toMatch(/serving/);
      // An import goes to it, as to a background one, not into the store behind its back.
      expect((await runCli(['save', '--data-dir', dataDir])).code).toBe(0);
      const file = join(dataDir, 'exported.nxck');
      expect((await runCli(['checkpoint', 'export', '--out', file, '--data-dir', dataDir])).code).toBe(0);
      expect((await runCli(['checkpoint', 'import', file, '--data-dir', dataDir])).stdout).toMatch(/^imported \S+ into the running appliance: memory/);
      const stopped = await runCli(['stop', '--data-dir', dataDir], { timeoutMs: 60_000 });
      expect(stopped.stderr).toBe('');
      expect(stopped.stdout).toBe(`stopped PID ${serve.pid}\n`);
      expect(await exited).toBe(0);
      expect((await runCli(['checkpoint', 'list', '--json', '--data-dir', dataDir])).stdout).toMatch(/checkpoint-/);
    } finally {
      serve.kill('SIGKILL');
    }
  });
});
