// nexusctl on the machine of a LAN-bound appliance (host 0.0.0.0): status and chat use the local key; ask --url says how to give one.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/free-port.js';
import { ensureBuilt, removeDaemonDataDir, runCli } from './cli-harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'nexusctl-lan-'));
const dir = ['--data-dir', dataDir];
let lanUrl: string;

beforeAll(async () => {
  await ensureBuilt();
  const port = await freePort();
  lanUrl = `http://127.0.0.1:${port}`;
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ host: '0.0.0.0', port, adminPort: await freePort() }));
  const started = await runCli(['start', '--wait-seconds', '60', ...dir], { timeoutMs: 90_000 });
  expect(started.code, started.stderr).toBe(0);
}, 120_000);

afterAll(() => removeDaemonDataDir(dataDir));

describe('nexusctl with a LAN-bound appliance', { timeout: 60_000 }, () => {
  it('status and chat work on its own machine without a key given', async () => {
    const status = await runCli(['status', ...dir]);
    expect(status.stderr).toBe('');
    expect(status.stdout).toMatch(/state\s+serving/);
    const chat = await runCli(['chat', ...dir], { input: 'What does river mean?\n' });
    expect(chat.stderr).toBe('');
    expect(chat.stdout).toContain('a large natural stream of water');
  });

  it('ask --url without a key says how to give one; a key from token create works as --api-key and NEXUS_API_KEY', async () => {
    const refused = await runCli(['ask', '--url', lanUrl, 'What does river mean?']);
    expect(refused.code).toBe(4);
    expect(refused.stderr.trim()).toBe(`nexusctl: the appliance at ${lanUrl} needs an API key: set NEXUS_API_KEY or pass --api-key (make one on the appliance with nexusctl token create)`);

    const created = await runCli(['token', 'create', '--name', 'test client', ...dir]);
    expect(created.code).toBe(0);
    expect(created.stderr).toMatch(/\(chat, read\)/);
    const key = created.stdout.trim();
    expect(key).toMatch(/^nx_\S{20,}$/);
    const withFlag = await runCli(['ask', '--url', lanUrl, '--api-key', key, 'What does river mean?']);
    expect(withFlag.stdout).toContain('a large natural stream of water');
    const withEnv = await runCli(['ask', '--url', lanUrl, 'What does river mean?'], { env: { NEXUS_API_KEY: key } });
    expect(withEnv.stdout).toContain('a large natural stream of water');
    // A chat and read key is no admin key.
    const control = await fetch(`${lanUrl}/api/control`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{"action":"pause"}' });
    expect(control.status).toBe(403);
  });

  it('token list shows the keys without them, and token revoke stops one at once; the admin key is rotated, not revoked', async () => {
    const created = await runCli(['token', 'create', '--name', 'old phone', ...dir]);
    const key = created.stdout.trim();
    const listed = JSON.parse((await runCli(['token', 'list', '--json', ...dir])).stdout) as { keys: { id: string; name: string; scopes: string[] }[] };
    const phone = listed.keys.find((entry) => entry.name === 'old phone');
    expect(phone).toMatchObject({ id: expect.stringMatching(/^key-[0-9a-f]{8}$/), scopes: ['chat', 'read'] });
    const readable = await runCli(['token', 'list', ...dir]);
    expect(readable.stdout).toMatch(new RegExp(`${phone!.id}\\s+old phone\\s+chat,read`));
    expect(readable.stdout).not.toContain(key);
    expect((await runCli(['ask', '--url', lanUrl, '--api-key', key, 'What does river mean?'])).code).toBe(0);
    const revoked = await runCli(['token', 'revoke', phone!.id, ...dir]);
    expect(revoked.stdout).toBe(`revoked ${phone!.id}: the appliance refuses it from now on\n`);
    expect((await runCli(['ask', '--url', lanUrl, '--api-key', key, 'What does river mean?'])).code).toBe(4);
    const again = await runCli(['token', 'revoke', phone!.id, ...dir]);
    expect(again.code).toBe(8);
    expect(again.stderr).toMatch(new RegExp(`^nexusctl: no API key ${phone!.id} in \\S+keys\\.json \\(its keys: `));
    const admin = await runCli(['token', 'revoke', 'admin', ...dir]);
    expect(admin.stderr.trim()).toBe('nexusctl: the admin key is replaced, not revoked: nexusctl token --rotate');
    expect(admin.code).toBe(5);
  });

  it('status --url to the LAN address without a key says how to give one', async () => {
    const status = await runCli(['status', '--url', lanUrl, ...dir]);
    expect(status.code).toBe(4);
    expect(status.stderr).toContain('set NEXUS_API_KEY or pass --api-key');
  });

  it('--help documents NEXUS_API_KEY, and the commands that send it take --api-key', async () => {
    expect((await runCli(['--help'])).stdout).toMatch(/NEXUS_API_KEY\s+key for the LAN API/);
    for (const command of ['ask', 'chat', 'status']) expect((await runCli([command, '--help'])).stdout).toMatch(/--api-key <key>[\s\S]*env: NEXUS_API_KEY/);
  });
});
