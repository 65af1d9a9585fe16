// Graceful shutdown of a real foreground process: SIGTERM mid-stream → exit 0 within the deadline, checkpoint on disk.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

const DEADLINE_MS = 3000;
let child: ChildProcess | undefined;
let dataDir: string | undefined;

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('runForeground shutdown', () => {
  it('reloads on SIGHUP; exits 0 within the deadline on SIGTERM during a streaming request and leaves a checkpoint', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'nexus-shutdown-'));
    const proc = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/appliance-foreground.ts', dataDir, String(DEADLINE_MS)], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    const lines: Array<Record<string, unknown>> = [];
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    const ready = new Promise<string>((resolve, reject) => {
      createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on('line', (line) => {
        const record = JSON.parse(line) as Record<string, unknown>;
        lines.push(record);
        if (record.event === 'fixture.ready') resolve(String(record.lanUrl));
      });
      void exited.then((code) => reject(new Error(`the appliance exited early (${code})`)));
    });
    const lanUrl = await ready;
    for (const line of lines) expect(Object.keys(line).slice(0, 3)).toEqual(line.event === 'fixture.ready' ? ['event', 'lanUrl', 'adminUrl'] : ['time', 'level', 'event']);

    // SIGHUP reloads the config: the fixture's reload drops the short deadline, which needs a restart.
    proc.kill('SIGHUP');
    const deadlineReload = Date.now() + 5000;
    while (!lines.some((line) => line.event === 'config.needs_restart') && Date.now() < deadlineReload) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lines.find((line) => line.event === 'config.needs_restart')).toMatchObject({ keys: ['limits'] });

    const streaming = await fetch(`${lanUrl}/api/interact?stream=1`, { method: 'POST', body: JSON.stringify({ prompt: 'What does harbor mean?', options: { maxTokens: 100 } }) });
    expect(streaming.status).toBe(200);
    const reader = (streaming.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const signalled = Date.now();
    proc.kill('SIGTERM');

    // While it drains, new work is refused with 503 SHUTTING_DOWN (or the port is already closed).
    await new Promise((resolve) => setTimeout(resolve, 30));
    const late = await fetch(`${lanUrl}/api/interact`, { method: 'POST', body: JSON.stringify({ prompt: 'What does harbor mean?' }) }).catch(() => undefined);
    if (late) {
      expect(late.status).toBe(503);
      expect((await late.json()).error.code).toBe('SHUTTING_DOWN');
    }
    let rest = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    expect(rest).toMatch(/event: (done|error)/);

    const code = await exited;
    expect(code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(DEADLINE_MS + 3000);
    const checkpoints = (await readdir(join(dataDir, 'checkpoints'))).filter((name) => name.endsWith('.nxck'));
    expect(checkpoints.length).toBeGreaterThan(0);
    expect(lines.some((line) => line.event === 'checkpoint.saved' && line.reason === 'SIGTERM')).toBe(true);
  });
});
