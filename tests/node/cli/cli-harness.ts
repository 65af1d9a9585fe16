// Test harness: builds the CLI once (shared by parallel test files through a lock) and runs it as a child process.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPid } from '../../../runtime/node/cli/pid-file.js';

/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** The built entry that `bin` points to. */
export const cliPath = join(repoRoot, 'dist/runtime/node/cli/nexusctl.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|json)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

// tests/bench: the build carries the benchmark's appliance child (tsconfig.build.json).
const isFresh = () => existsSync(cliPath) && statSync(cliPath).mtimeMs >= Math.max(...['runtime', 'edge-config', 'tests/bench'].map((dir) => newestSource(join(repoRoot, dir))));

/**
 * Runs `npm run build:node` (tsc, then the CLI bundle) unless dist is newer than every source.
 * Test files run in parallel forks, so one builds under a lock directory and the others wait for
 * it. The exit status is not checked: other work in progress may have type errors while tsc
 * still emits.
 */
export async function ensureBuilt(): Promise<void> {
  const lock = join(repoRoot, 'dist', '.cli-test-build.lock');
  mkdirSync(join(repoRoot, 'dist'), { recursive: true });
  for (;;) {
    if (isFresh()) return;
    try {
      mkdirSync(lock);
    } catch {
      // Another file is building; a lock older than 5 minutes is left over from a killed run.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    try {
      spawnSync('npm', ['run', '--silent', 'build:node'], { cwd: repoRoot, stdio: 'ignore' });
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
    if (!existsSync(cliPath)) throw new Error(`the build did not produce ${cliPath}`);
    return;
  }
}

/** What a CLI run printed and how it exited. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/.../nexusctl.js ...args` to completion, colours off. */
/** The built CLI as a child process, without colours or debug traces, for a test that drives it (signals, timing). */
export function spawnCli(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [cliPath, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', NEXUS_DEBUG: '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

export function runCli(args: string[], options: { env?: Record<string, string>; cwd?: string; input?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, options);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Kills (SIGKILL) a background appliance a test left running in `dataDir`, then removes the directory. */
export async function removeDaemonDataDir(dataDir: string): Promise<void> {
  const pid = await readPid(join(dataDir, 'nexus.pid'));
  if (pid !== undefined) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
}
