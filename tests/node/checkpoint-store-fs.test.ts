// Tests of FsCheckpointStore with loadNewestCheckpoint on a real temporary directory.
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeCheckpoint } from '../../runtime/core/checkpoint/checkpoint-codec.js';
import { loadNewestCheckpoint } from '../../runtime/core/checkpoint/load-newest-checkpoint.js';
import type { Clock } from '../../runtime/core/platform/clock.js';
import type { Logger } from '../../runtime/core/platform/logger.js';
import { FsCheckpointStore, type CheckpointFs } from '../../runtime/node/checkpoint-store-fs.js';

const MODEL_SHA = '7e'.repeat(32);
let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'nexus-checkpoints-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** A valid checkpoint whose lifecycle section carries `n`, to tell checkpoints apart. */
function checkpointBytes(n: number): Promise<Uint8Array> {
  return encodeCheckpoint({
    header: { formatVersion: 2, createdAt: new Date(1_700_000_000_000 + n).toISOString(), producer: 'nexus-edge/0.1.0 node', modelId: 'lexicon-tiny', modelSha256: MODEL_SHA },
    sections: { lifecycle: { n }, memory: { entries: [{ question: `q${n} ✓`, answer: `a${n} 答` }] } },
  });
}

/** A clock that returns the given times in turn, then the last one forever. */
function steppingClock(...times: number[]): Clock {
  let i = 0;
  return { now: () => times[Math.min(i++, times.length - 1)], monotonic: () => 0 };
}

function recordingLogger(): Logger & { events: { level: string; event: string; fields?: Record<string, unknown> }[] } {
  const events: { level: string; event: string; fields?: Record<string, unknown> }[] = [];
  return { events, log: (level, event, fields) => void events.push({ level, event, fields }) };
}

async function flipAByte(path: string): Promise<void> {
  const bytes = await fs.readFile(path);
  bytes[bytes.length - 40] ^= 0x20;
  await fs.writeFile(path, bytes);
}

describe('FsCheckpointStore', () => {
  it('lists nothing and loads null when the directory does not exist yet', async () => {
    const store = new FsCheckpointStore(join(dir, 'not-yet'));
    expect(await store.list()).toEqual([]);
    expect(await loadNewestCheckpoint(store)).toBeNull();
  });

  it('writes atomically named files that read back byte for byte', async () => {
    const store = new FsCheckpointStore(join(dir, 'nested', 'checkpoints'), { clock: steppingClock(1_700_000_123_456) });
    const bytes = await checkpointBytes(1);
    const stored = await store.write(bytes);
    expect(stored).toEqual({ id: 'checkpoint-001700000123456-000000.nxck', sizeBytes: bytes.length, createdAt: 1_700_000_123_456 });
    expect(await store.list()).toEqual([stored]);
    expect(await store.read(stored.id)).toEqual(bytes);
    expect(await fs.readdir(join(dir, 'nested', 'checkpoints'))).toEqual([stored.id]);
    expect((await fs.stat(join(dir, 'nested', 'checkpoints', stored.id))).mode & 0o777).toBe(0o600);
  });

  it('rotates: keeps the newest N and deletes the rest', async () => {
    const store = new FsCheckpointStore(dir, { keep: 3 });
    const ids: string[] = [];
    for (let n = 0; n < 7; n++) ids.push((await store.write(await checkpointBytes(n))).id);
    expect((await store.list()).map((c) => c.id)).toEqual(ids.slice(4).reverse());
    expect((await fs.readdir(dir)).sort()).toEqual(ids.slice(4));
    expect(new FsCheckpointStore(dir).keep).toBe(5);
  });

  it('lists newest first with ids that sort chronologically, even within one millisecond or when the clock goes back', async () => {
    const store = new FsCheckpointStore(dir, { keep: 10, clock: steppingClock(5_000, 5_000, 5_000, 4_000, 9_000, 12_000) });
    const ids: string[] = [];
    for (let n = 0; n < 6; n++) ids.push((await store.write(await checkpointBytes(n))).id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(6);
    expect(ids[3]).toBe('checkpoint-000000000005000-000003.nxck');
    const listed = await store.list();
    expect(listed.map((c) => c.id)).toEqual([...ids].reverse());
    expect(listed.map((c) => c.createdAt)).toEqual([12_000, 9_000, 5_000, 5_000, 5_000, 5_000]);
  });

  it('serializes concurrent writes through one instance', async () => {
    const store = new FsCheckpointStore(dir, { keep: 10, clock: steppingClock(1) });
    const written = await Promise.all([0, 1, 2, 3, 4].map(async (n) => store.write(await checkpointBytes(n))));
    expect(new Set(written.map((c) => c.id)).size).toBe(5);
    expect((await store.list()).length).toBe(5);
  });

  it('falls back past a corrupt newest checkpoint, reports the skip and logs it', async () => {
    const store = new FsCheckpointStore(dir);
    for (let n = 0; n < 3; n++) await store.write(await checkpointBytes(n));
    const [newest, previous] = await store.list();
    await flipAByte(join(dir, newest.id));
    const logger = recordingLogger();

    const loaded = await loadNewestCheckpoint(store, { modelSha256: MODEL_SHA, logger });
    expect(loaded?.id).toBe(previous.id);
    expect(loaded?.checkpoint.sections.lifecycle).toEqual({ n: 1 });
    expect(loaded?.skipped).toEqual([{ id: newest.id, code: 'CHECKPOINT_CORRUPT', reason: expect.stringMatching(/SHA-256 does not match/) }]);
    expect(logger.events).toEqual([{ level: 'warn', event: 'checkpoint.skipped', fields: loaded?.skipped[0] }]);
  });

  it('skips a newer-version checkpoint with CHECKPOINT_VERSION_UNSUPPORTED', async () => {
    const store = new FsCheckpointStore(dir);
    await store.write(await checkpointBytes(0));
    const newer = (await checkpointBytes(1)).slice();
    newer[5] = 3;
    newer.set(new Uint8Array(await crypto.subtle.digest('SHA-256', newer.subarray(0, newer.length - 32))), newer.length - 32);
    await store.write(newer);
    const loaded = await loadNewestCheckpoint(store);
    expect(loaded?.checkpoint.sections.lifecycle).toEqual({ n: 0 });
    expect(loaded?.skipped.map((s) => s.code)).toEqual(['CHECKPOINT_VERSION_UNSUPPORTED']);
  });

  it('throws CHECKPOINT_NOT_FOUND when checkpoints exist but none loads', async () => {
    const store = new FsCheckpointStore(dir);
    for (let n = 0; n < 2; n++) await store.write(await checkpointBytes(n));
    for (const { id } of await store.list()) await flipAByte(join(dir, id));
    await expect(loadNewestCheckpoint(store, { location: dir })).rejects.toMatchObject({
      code: 'CHECKPOINT_NOT_FOUND',
      message: `no loadable checkpoint in ${dir}`,
      details: { skipped: [{ code: 'CHECKPOINT_CORRUPT' }, { code: 'CHECKPOINT_CORRUPT' }] },
    });
  });

  it('ignores temporary files left by a killed writer and removes them on the next write', async () => {
    const store = new FsCheckpointStore(dir);
    await store.write(await checkpointBytes(0));
    const leftover = '.checkpoint-009999999999999-000000.nxck.dead1234.tmp';
    await fs.writeFile(join(dir, leftover), (await checkpointBytes(1)).subarray(0, 50));
    await fs.writeFile(join(dir, 'notes.txt'), 'not ours');
    expect((await store.list()).length).toBe(1);
    expect((await loadNewestCheckpoint(store))?.skipped).toEqual([]);

    await store.write(await checkpointBytes(2));
    const names = await fs.readdir(dir);
    expect(names).not.toContain(leftover);
    expect(names).toContain('notes.txt');
    expect((await store.list()).length).toBe(2);
  });

  it('on a full disk throws CHECKPOINT_WRITE_FAILED, removes the temporary file and leaves earlier checkpoints untouched', async () => {
    let full = false;
    const fullDisk: CheckpointFs = {
      ...fs,
      open: (async (path: string, flags: string) => {
        const handle = await fs.open(path, flags);
        if (full && flags === 'wx') {
          handle.writeFile = async (data) => {
            await handle.write((data as Uint8Array).subarray(0, 100));
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          };
        }
        return handle;
      }) as CheckpointFs['open'],
    };
    const store = new FsCheckpointStore(dir, { fs: fullDisk, keep: 2 });
    for (let n = 0; n < 2; n++) await store.write(await checkpointBytes(n));
    const before = await Promise.all((await fs.readdir(dir)).sort().map(async (name) => [name, await fs.readFile(join(dir, name))] as const));

    full = true;
    const failure = store.write(await checkpointBytes(2));
    await expect(failure).rejects.toMatchObject({ code: 'CHECKPOINT_WRITE_FAILED', details: { location: dir, errno: 'ENOSPC' } });
    await expect(failure).rejects.toThrow(/could not be written to .*ENOSPC/);
    const after = await Promise.all((await fs.readdir(dir)).sort().map(async (name) => [name, await fs.readFile(join(dir, name))] as const));
    expect(after).toEqual(before);

    full = false;
    await store.write(await checkpointBytes(3));
    expect((await loadNewestCheckpoint(store))?.checkpoint.sections.lifecycle).toEqual({ n: 3 });
  });

  it('logs, and does not throw, when rotation cannot delete an old checkpoint', async () => {
    const logger = recordingLogger();
    const stuck: CheckpointFs = {
      ...fs,
      unlink: vi.fn(async () => {
        throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      }),
    };
    const store = new FsCheckpointStore(dir, { fs: stuck, keep: 1, logger });
    await store.write(await checkpointBytes(0));
    await store.write(await checkpointBytes(1));
    expect((await store.list()).length).toBe(2);
    expect(logger.events).toMatchObject([{ level: 'warn', event: 'checkpoint.rotate_failed', fields: { location: dir } }]);
  });

  it('refuses ids that are not its own files (no path traversal)', async () => {
    const store = new FsCheckpointStore(dir);
    await expect(store.read('../../etc/passwd')).rejects.toMatchObject({ code: 'CHECKPOINT_NOT_FOUND' });
    await expect(store.read('checkpoint-000000000000001-000000.nxck')).rejects.toMatchObject({ code: 'CHECKPOINT_NOT_FOUND' });
  });

  it('refuses a keep count below 1', () => {
    expect(() => new FsCheckpointStore(dir, { keep: 0 })).toThrow(/\[keep\] expected an integer ≥ 1, got 0/);
  });
});
