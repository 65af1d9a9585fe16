// nexusctl whose reader went away (`nexusctl logs | head -1`): it stops quietly, no write EPIPE trace.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, ensureBuilt, repoRoot } from './cli-harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'nexusctl-closed-stdout-'));

/** Runs the CLI with the read end of its stdout closed before it writes; resolves with its stderr and exit code. */
function runIntoClosedPipe(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

beforeAll(async () => {
  mkdirSync(join(dataDir, 'logs'));
  const lines = Array.from({ length: 2000 }, (_, n) => JSON.stringify({ time: '2026-01-01T00:00:00.000Z', level: 'info', event: 'test.line', n }));
  writeFileSync(join(dataDir, 'logs', 'nexus.log'), `${lines.join('\n')}\n`);
  await ensureBuilt();
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('nexusctl writing into a closed pipe', () => {
  it.each([
    ['logs', ['logs', '-n', '2000', '--data-dir', dataDir]],
    ['checkpoint list', ['checkpoint', 'list', '--data-dir', dataDir]],
    ['models list', ['models', 'list']],
  ])('%s exits 0 without a trace', async (_name, args) => {
    const result = await runIntoClosedPipe(args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
