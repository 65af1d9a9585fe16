// The CLI retest's fixes against a real HTTPS appliance: sampling flags over --url, ask trusting the tls init CA, chat with a chat-only key, and nits.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/free-port.js';
import { ensureBuilt, removeDaemonDataDir, runCli } from './cli-harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'nexusctl-retest-'));
// A working directory with no .nexus in it: ask's default data directory holds no CA there.
const elsewhere = mkdtempSync(join(tmpdir(), 'nexusctl-retest-cwd-'));
const dir = ['--data-dir', dataDir];
const caFile = join(dataDir, 'tls', 'nexus-ca.crt');
let url: string;

interface AnswerJson {
  text: string;
  decision: string;
  usage: { completionTokens: number };
}

beforeAll(async () => {
  await ensureBuilt();
  expect((await runCli(['tls', 'init', ...dir])).code).toBe(0);
  const port = await freePort();
  url = `https://127.0.0.1:${port}`;
  const tls = { cert: join(dataDir, 'tls', 'server.crt'), key: join(dataDir, 'tls', 'server.key') };
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ port, adminPort: await freePort(), tls }));
  const started = await runCli(['start', '--wait-seconds', '60', ...dir], { timeoutMs: 90_000 });
  expect(started.code, started.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await removeDaemonDataDir(dataDir);
  rmSync(elsewhere, { recursive: true, force: true });
});

describe('ask --url and chat send the sampling options where the API reads them', { timeout: 60_000 }, () => {
  // Node's own way to trust a CA, so that these tests need nothing of ask's --data-dir / --ca.
  const trusting = { env: { NODE_EXTRA_CA_CERTS: caFile } };

  it('ask --url --max-tokens 3 gives a 3-token answer', async () => {
    const result = await runCli(['ask', '--json', '--url', url, '--max-tokens', '3', 'What does river mean?'], trusting);
    expect(result.stderr).toBe('');
    expect((JSON.parse(result.stdout) as AnswerJson).usage.completionTokens).toBe(3);
  });

  it('ask --url --no-gate answers a made-up word the gate abstains on', async () => {
    const gated = JSON.parse((await runCli(['ask', '--json', '--url', url, 'What does blorfenzik mean?'], trusting)).stdout) as AnswerJson;
    expect(gated.decision).toBe('abstained');
    const ungated = JSON.parse((await runCli(['ask', '--json', '--url', url, '--no-gate', 'What does blorfenzik mean?'], trusting)).stdout) as AnswerJson;
    expect(ungated.decision).toBe('answered');
    expect(ungated.usage.completionTokens).toBeGreaterThan(0);
  });

  it('chat --max-tokens 3 gives 3-token answers', async () => {
    const chat = await runCli(['chat', '--max-tokens', '3', ...dir], { input: 'What does river mean?\n' });
    expect(chat.stderr).toBe('');
    expect(chat.stdout).toMatch(/answered · model · 3 tok · cut off at the token limit \(--max-tokens\)/);
  });

  it('--temperature refuses a negative or absurd value, naming the option', async () => {
    for (const args of [['ask', '--temperature', '-1', 'hi'], ['ask', '--temperature', '100', 'hi'], ['chat', '--temperature', '11']]) {
      const result = await runCli(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^nexusctl: option '--temperature <t>' argument '[-\d]+' is invalid\. expected a number from 0 to 10/);
    }
  });
});

describe('ask --url https trusts the CA tls init made', { timeout: 60_000 }, () => {
  it('without a CA it says the certificate is not trusted and how to trust it', async () => {
    expect(existsSync(join(elsewhere, '.nexus'))).toBe(false);
    const result = await runCli(['ask', '--url', url, 'What does river mean?'], { cwd: elsewhere });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^nexusctl: the appliance's certificate is not trusted: unable to verify the first certificate .*— pass --ca FILE .* or --data-dir/);
    expect(result.stderr).not.toContain('is it running');
  });

  it('answers with --data-dir, NEXUS_DATA_DIR or --ca', async () => {
    const answers = await Promise.all([
      runCli(['ask', '--url', url, ...dir, 'What does river mean?'], { cwd: elsewhere }),
      runCli(['ask', '--url', url, 'What does river mean?'], { cwd: elsewhere, env: { NEXUS_DATA_DIR: dataDir } }),
      runCli(['ask', '--url', url, '--ca', caFile, 'What does river mean?'], { cwd: elsewhere }),
    ]);
    for (const answer of answers) expect(answer.stdout, answer.stderr).toContain('a large natural stream of water');
  });
});

describe('chat', { timeout: 60_000 }, () => {
  it('works with a chat-only key (the status pre-check may answer 403)', async () => {
    const created = await runCli(['token', 'create', '--scopes', 'chat', ...dir]);
    expect(created.code).toBe(0);
    const chat = await runCli(['chat', '--api-key', created.stdout.trim(), ...dir], { input: 'What does river mean?\n' });
    expect(chat.stderr).toBe('');
    expect(chat.code).toBe(0);
    expect(chat.stdout).toContain('a large natural stream of water');
  });

  it('treats a bare / as an unknown command, not a question', async () => {
    const chat = await runCli(['chat', ...dir], { input: '/\n' });
    expect(chat.code).toBe(0);
    expect(chat.stdout).toContain('unknown command /; /help lists the commands');
    expect(chat.stdout).not.toContain('confidence');
  });

  it("exits with the error's code when the session ended on an error, and says so in --help", async () => {
    expect((await runCli(['pause', ...dir])).code).toBe(0);
    try {
      const failed = await runCli(['chat', ...dir], { input: 'What does river mean?\n' });
      expect(failed.stdout).toContain('the appliance is paused');
      expect(failed.code).toBe(7);
    } finally {
      expect((await runCli(['resume', ...dir])).code).toBe(0);
    }
    expect((await runCli(['chat', ...dir], { input: 'What does river mean?\n' })).code).toBe(0);
    expect((await runCli(['chat', '--help'])).stdout).toMatch(/Exit status: 0 when the last question or \/teach sent succeeded/);
  });
});

describe('nits', { timeout: 60_000 }, () => {
  it('health takes --api-key as status does', async () => {
    const health = await runCli(['health', '--api-key', 'nx_any-key', ...dir]);
    expect(health.stderr).toBe('');
    expect(health.stdout.trim()).toBe('healthy');
    expect(health.code).toBe(0);
  });

  it('checkpoint import into the running appliance prints text, and JSON with --json', async () => {
    expect((await runCli(['save', ...dir])).code).toBe(0);
    const file = join(elsewhere, 'exported.nxck');
    expect((await runCli(['checkpoint', 'export', '--out', file, ...dir])).code).toBe(0);
    const text = await runCli(['checkpoint', 'import', file, ...dir]);
    expect(text.stderr).toBe('');
    expect(text.stdout).toMatch(/^imported \S+exported\.nxck into the running appliance: memory (\d+) → \1 entries \(its answers added; for a question both hold, the one taught last wins\); restored [a-z, ]+; saved as checkpoint-\S+\.nxck\n$/);
    const json = await runCli(['checkpoint', 'import', '--json', file, ...dir]);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, stored: { id: expect.stringMatching(/\.nxck$/) } });
  });

  it('an admin key the appliance refuses, or an empty admin.key, says which key and where the right one is', async () => {
    const wrong = await runCli(['save', ...dir], { env: { NEXUS_ADMIN_KEY: 'nx_not-this-appliance' } });
    expect(wrong.stderr.trim()).toBe(`nexusctl: the admin API at ${(JSON.parse(readFileSync(join(dataDir, 'nexus.endpoints.json'), 'utf8')) as { adminUrl: string }).adminUrl} refused the admin key from NEXUS_ADMIN_KEY: it is not this appliance's (${join(dataDir, 'admin.key')} on the appliance holds the one it wrote at start)`);
    expect(wrong.code).toBe(4);
    const keyFile = join(dataDir, 'admin.key');
    const key = readFileSync(keyFile, 'utf8');
    writeFileSync(keyFile, '');
    try {
      const empty = await runCli(['save', ...dir]);
      expect(empty.stderr.trim()).toBe(`nexusctl: the admin key file ${keyFile} is empty (the appliance writes a new one when it starts: nexusctl restart; or set NEXUS_ADMIN_KEY)`);
      expect(empty.code).toBe(4);
    } finally {
      writeFileSync(keyFile, key);
    }
    expect((await runCli(['save', ...dir])).code).toBe(0);
  });

  it('checkpoint verify of a missing file says the file does not exist', async () => {
    const missing = join(elsewhere, 'nonexist.nxck');
    const result = await runCli(['checkpoint', 'verify', missing, ...dir]);
    expect(result.code).toBe(8);
    expect(result.stderr.trim()).toBe(`nexusctl: the file ${missing} does not exist`);
  });
});
