// nexusctl against an appliance serving HTTPS with the certificate `tls init` makes: the CLI trusts that CA for its own calls.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/free-port.js';
import { ensureBuilt, removeDaemonDataDir, runCli } from './cli-harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'nexusctl-tls-'));
const dir = ['--data-dir', dataDir];

beforeAll(async () => {
  await ensureBuilt();
  expect((await runCli(['tls', 'init', ...dir])).code).toBe(0);
  const tls = join(dataDir, 'tls');
  // The settings `tls init` tells the operator to add.
  const tlsConfig = { cert: join(tls, 'server.crt'), key: join(tls, 'server.key') };
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ port: await freePort(), adminPort: await freePort(), tls: tlsConfig }));
});

afterAll(() => removeDaemonDataDir(dataDir));

describe('nexusctl with HTTPS configured by tls init', { timeout: 120_000 }, () => {
  it('start, status, health, chat and restart work over https', async () => {
    const started = await runCli(['start', '--wait-seconds', '30', ...dir], { timeoutMs: 60_000 });
    expect(started.stderr).toBe('');
    expect(started.stdout).toMatch(/started PID \d+ · https:\/\/127\.0\.0\.1:\d+/);

    const status = await runCli(['status', '--json', ...dir]);
    expect(status.stderr).toBe('');
    expect(JSON.parse(status.stdout)).toMatchObject({ state: 'serving' });
    const health = await runCli(['health', ...dir]);
    expect(health.stdout.trim()).toBe('healthy');
    expect(health.code).toBe(0);
    const chat = await runCli(['chat', ...dir], { input: 'What does river mean?\n' });
    expect(chat.stderr).toBe('');
    expect(chat.stdout).toContain('a large natural stream of water');

    const restarted = await runCli(['restart', '--wait-seconds', '30', ...dir], { timeoutMs: 90_000 });
    expect(restarted.stderr).toBe('');
    expect(restarted.code).toBe(0);
    expect((await runCli(['status', ...dir])).code).toBe(0);
    expect((await runCli(['stop', ...dir], { timeoutMs: 60_000 })).code).toBe(0);
  });
});
