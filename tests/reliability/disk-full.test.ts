// Disk full during a save (a small tmpfs as the checkpoint directory): a clean 507, the old checkpoint kept, degraded health, still serving.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '../../runtime/core/checkpoint/checkpoint-codec.js';
import { startInProcess, type InProcessAppliance } from './appliance-in-process.js';

let dataDir: string;
let checkpoints: string;
let mounted = false;
let t: InProcessAppliance | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'nexus-diskfull-'));
  checkpoints = join(dataDir, 'checkpoints');
  await mkdir(checkpoints);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', checkpoints]);
  mounted = true;
  t = await startInProcess(dataDir);
});

afterAll(async () => {
  await t?.app.close('test').catch(() => undefined);
  if (mounted) execFileSync('umount', [checkpoints]);
  await rm(dataDir, { recursive: true, force: true });
});

/** Fills the tmpfs to the last byte with a filler file. */
async function fill(): Promise<void> {
  const chunk = Buffer.alloc(4096, 1);
  const parts: Buffer[] = [];
  for (let i = 0; i < 64; i++) parts.push(chunk);
  await writeFile(join(checkpoints, 'filler'), Buffer.concat(parts)).catch(() => undefined);
}

describe('disk full', () => {
  it('fails the save cleanly, keeps the previous checkpoint, degrades health and keeps serving; recovers when space is back', async () => {
    const app = t as InProcessAppliance;
    await fetch(`${app.app.lanUrl}/api/teach`, { method: 'POST', body: JSON.stringify({ question: 'What is diskfull?', answer: 'saved before the disk filled' }) });
    const first = await (await app.control({ action: 'save' })).json();
    expect(first.ok).toBe(true);
    const previous = await readFile(join(checkpoints, first.checkpoint.id));

    await fill();
    await fetch(`${app.app.lanUrl}/api/teach`, { method: 'POST', body: JSON.stringify({ question: 'What is later?', answer: 'x'.repeat(3000) }) });
    const failed = await app.control({ action: 'save' });
    expect(failed.status).toBe(507);
    const error = (await failed.json()).error;
    expect(error).toMatchObject({ code: 'CHECKPOINT_WRITE_FAILED', details: { errno: 'ENOSPC' } });
    expect(error.message).toMatch(/ENOSPC|no space/i);

    // The previous checkpoint is intact and no temporary file is left behind.
    const names = (await readdir(checkpoints)).filter((name) => name !== 'filler');
    expect(names).toEqual([first.checkpoint.id]);
    expect(new Uint8Array(await readFile(join(checkpoints, first.checkpoint.id)))).toEqual(new Uint8Array(previous));
    await expect(decodeCheckpoint(new Uint8Array(previous))).resolves.toBeDefined();

    const health = await (await fetch(`${app.app.lanUrl}/health`)).json();
    expect(health.status).toBe('degraded');
    expect(health.reasons.join(' ')).toMatch(/checkpoint save failed.*(ENOSPC|no space)/i);
    expect(app.logs.find((line) => line.event === 'checkpoint.save_failed')).toMatchObject({ level: 'error' });
    const answer = await fetch(`${app.app.lanUrl}/api/interact`, { method: 'POST', body: JSON.stringify({ prompt: 'What does harbor mean?' }) });
    expect(answer.status).toBe(200);

    await rm(join(checkpoints, 'filler'));
    expect((await app.control({ action: 'save' })).status).toBe(200);
    expect((await (await fetch(`${app.app.lanUrl}/health`)).json()).status).toBe('healthy');
  });
});
