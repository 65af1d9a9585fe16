// An appliance started with --port flags (no config file) is found by the commands that follow, through its endpoints file.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/free-port.js';
import { ensureBuilt, removeDaemonDataDir, runCli } from './cli-harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'nexusctl-port-flags-'));
const endpointsFile = join(dataDir, 'nexus.endpoints.json');

beforeAll(ensureBuilt);

afterAll(() => removeDaemonDataDir(dataDir));

describe('nexusctl start --port, then commands without it', { timeout: 120_000 }, () => {
  it('status and stop find the appliance where it listens; the file goes with it', async () => {
    const [port, adminPort] = [await freePort(), await freePort()];
    const started = await runCli(['start', '--data-dir', dataDir, '--port', String(port), '--admin-port', String(adminPort)], { timeoutMs: 110_000 });
    expect(started.code, started.stderr).toBe(0);
    expect(JSON.parse(readFileSync(endpointsFile, 'utf8'))).toMatchObject({ lanUrl: `http://127.0.0.1:${port}`, adminUrl: `http://127.0.0.1:${adminPort}` });

    const status = await runCli(['status', '--json', '--data-dir', dataDir]);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ state: 'serving', model: { id: 'lexicon-tiny' } });

    const stopped = await runCli(['stop', '--data-dir', dataDir]);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(existsSync(endpointsFile)).toBe(false);
    expect((await runCli(['status', '--data-dir', dataDir])).code).toBe(3);
  });

  it('a file left by a dead process is ignored: the config says where to look', async () => {
    const configuredPort = await freePort();
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ port: configuredPort }));
    // Above the kernel's largest PID (2^22): no such process.
    writeFileSync(endpointsFile, JSON.stringify({ pid: 2 ** 22 + 12345, lanUrl: 'http://127.0.0.1:1', adminUrl: 'http://127.0.0.1:2' }));
    const status = await runCli(['status', '--data-dir', dataDir]);
    expect(status.code).toBe(3);
    expect(status.stderr).toContain(`127.0.0.1:${configuredPort}`);
  });
});
