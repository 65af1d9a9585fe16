// `npm start`, the README's command, run for real: the appliance serves the built-in model, tuned like the systemd unit.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daemonEnvironment, daemonNodeFlags } from '../../../runtime/node/appliance/daemon-process-tuning.js';
import { ensureBuilt, repoRoot } from './cli-harness.js';
import { freePort } from '../../support/free-port.js';

const dataDir = mkdtempSync(join(tmpdir(), 'nexus-npm-start-'));
let npm: ChildProcess;
let lanUrl: string;

/** The serve process npm started: the one whose environment holds this test's data dir. */
function servePid(): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (!argv.some((arg) => arg.endsWith('nexusctl.js')) || !argv.includes('serve')) continue;
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`NEXUS_DATA_DIR=${dataDir}`)) return Number(entry);
    } catch {
      // The process ended, or is not ours to read.
    }
  }
  return undefined;
}

beforeAll(async () => {
  await ensureBuilt();
  const [port, adminPort] = [await freePort(), await freePort()];
  lanUrl = `http://127.0.0.1:${port}`;
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !(name in daemonEnvironment)));
  npm = spawn('npm', ['start', '--silent'], {
    cwd: repoRoot,
    detached: true,
    stdio: 'ignore',
    env: { ...env, NEXUS_HOST: '127.0.0.1', NEXUS_PORT: String(port), NEXUS_ADMIN_PORT: String(adminPort), NEXUS_DATA_DIR: dataDir },
  });
  const deadline = Date.now() + 90_000;
  for (;;) {
    const ready = await fetch(`${lanUrl}/ready`).then((response) => response.status === 200, () => false);
    if (ready) return;
    if (Date.now() > deadline || npm.exitCode !== null) throw new Error(`npm start did not serve within 90 s (exit ${npm.exitCode})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}, 120_000);

/** Resolves once `pid` has gone (or after `timeoutMs`). */
async function processGone(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (existsSync(`/proc/${pid}`) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

afterAll(async () => {
  // npm can exit before the daemon, which saves its last checkpoint into the data dir on SIGTERM.
  const serve = servePid();
  if (npm?.pid !== undefined && npm.exitCode === null) {
    const exited = new Promise((resolve) => npm.once('exit', resolve));
    process.kill(-npm.pid, 'SIGTERM');
    await exited;
  }
  if (serve !== undefined) await processGone(serve, 15_000);
  rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}, 30_000);

describe('npm start', { timeout: 60_000 }, () => {
  it('serves the built-in model on WASM and answers', async () => {
    const status = (await (await fetch(`${lanUrl}/api/status`)).json()) as { model: { id: string; engine: string } };
    expect(status.model).toMatchObject({ id: 'lexicon-tiny', engine: 'wasm' });
    const answer = await fetch(`${lanUrl}/api/interact`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'What does river mean?' }) });
    expect(((await answer.json()) as { response: string }).response).toContain('a large natural stream of water');
  });

  it('runs the daemon with the memory tuning of nexusctl start and the systemd unit', () => {
    const pid = servePid();
    expect(pid, 'the serve process npm started').toBeDefined();
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    for (const flag of daemonNodeFlags) expect(argv).toContain(flag);
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    for (const [name, value] of Object.entries(daemonEnvironment)) expect(environ).toContain(`${name}=${value}`);
  });
});
