// A background appliance started with --port flags: restart without flags keeps them.
import { mkdtempSync, readFileSync } from 'node:fs';
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
  // No config file: the ports exist only as start's flags.
  const started = await runCli(['start', '--port', String(ports.port), '--admin-port', String(ports.adminPort), ...dir], { timeoutMs: 110_000 });
  expect(started.code, started.stderr).toBe(0);
}, 120_000);

afterAll(() => removeDaemonDataDir(dataDir));

describe('nexusctl through an appliance life', { timeout: 120_000 }, () => {
  it('restart without flags comes back with the ports start was given', async () => {
    const before = endpoints();
    const restarted = await runCli(['restart', ...dir], { timeoutMs: 110_000 });
    expect(restarted.stderr).toBe('');
    expect(restarted.stdout).toMatch(new RegExp(`started PID \\d+ · http://127\\.0\\.0\\.1:${ports.port}`));
    const after = endpoints();
    expect(after.pid).not.toBe(before.pid);
    expect(after).toMatchObject({ lanUrl: `http://127.0.0.1:${ports.port}`, adminUrl: `http://127.0.0.1:${ports.adminPort}` });
  });
});
