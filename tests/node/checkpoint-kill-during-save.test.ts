// Crash test: a writer process is SIGKILLed at random moments while saving; the newest checkpoint must always load intact.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { encodeCheckpoint } from '../../runtime/core/checkpoint/checkpoint-codec.js';
import { loadNewestCheckpoint } from '../../runtime/core/checkpoint/load-newest-checkpoint.js';
import { FsCheckpointStore } from '../../runtime/node/checkpoint-store-fs.js';
import { buildCheckpoint } from '../fixtures/checkpoint-writer.js';

const ROUNDS = Number(process.env.NEXUS_KILL_ROUNDS ?? 25);
/** Half the kills land anywhere in a writer's first few hundred ms; half within the few ms a store.write takes. */
const ANYTIME_MS = 400;
const DURING_WRITE_MS = 8;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WRITER = fileURLToPath(new URL('../fixtures/checkpoint-writer.ts', import.meta.url));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nexus-kill-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Starts a writer at `firstSeq` and SIGKILLs it: `anytime` up to ANYTIME_MS after its first write
 * began, or `duringWrite` up to DURING_WRITE_MS after one of its first three writes began.
 * Resolves with the sequence numbers it started and confirmed.
 */
async function runAndKill(firstSeq: number, mode: 'anytime' | 'duringWrite'): Promise<{ started: number[]; confirmed: number[] }> {
  const target = mode === 'anytime' ? 0 : Math.floor(Math.random() * 3);
  const delay = Math.random() * (mode === 'anytime' ? ANYTIME_MS : DURING_WRITE_MS);
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, String(firstSeq)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const started: number[] = [];
  const confirmed: number[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const [word, seq] = line.split(' ');
    if (word === 'writing') {
      if (started.length === target) setTimeout(() => child.kill('SIGKILL'), delay);
      started.push(Number(seq));
    } else if (word === 'wrote') {
      confirmed.push(Number(seq));
    }
  });
  const signal = await closed;
  if (signal !== 'SIGKILL') throw new Error(`the writer exited on its own (signal ${signal}): ${stderr}`);
  return { started, confirmed };
}

it(`loads an intact checkpoint after each of ${ROUNDS} SIGKILLs during saves`, async () => {
  const store = new FsCheckpointStore(dir, { keep: 3 });
  /** Sequence number of the newest checkpoint on disk, as loaded after the previous kill. */
  let newest: number | undefined;
  let nextSeq = 0;
  const stats = { kills: 0, writes: 0, tempFilesLeft: 0, unconfirmedButCommitted: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const { started, confirmed } = await runAndKill(nextSeq, round % 2 === 0 ? 'anytime' : 'duringWrite');
    stats.kills++;
    stats.writes += confirmed.length;
    if ((await readdir(dir)).some((name) => name.endsWith('.tmp'))) stats.tempFilesLeft++;
    // The newest must be this round's last confirmed write (or the previous newest if none was
    // confirmed), or the write in flight if its rename landed before the kill.
    const lastConfirmed = confirmed.at(-1) ?? newest;
    const lastStarted = started.at(-1) ?? -1;
    nextSeq = lastStarted + 1;

    const loaded = await loadNewestCheckpoint(store);
    if (loaded === null) {
      expect(lastConfirmed, `round ${round}: nothing loads although a write was confirmed`).toBeUndefined();
      continue;
    }
    expect(loaded.skipped, `round ${round}: a damaged checkpoint was visible`).toEqual([]);
    const seq = (loaded.checkpoint.sections.lifecycle as { seq: number }).seq;
    expect([lastConfirmed, lastStarted], `round ${round}: loaded seq ${seq}`).toContain(seq);
    if (seq !== lastConfirmed) stats.unconfirmedButCommitted++;
    newest = seq;
    const expected = await encodeCheckpoint(buildCheckpoint(seq));
    expect(Buffer.compare(await encodeCheckpoint(loaded.checkpoint), expected), `round ${round}: content of seq ${seq}`).toBe(0);
    expect(Buffer.compare(await store.read(loaded.id), expected), `round ${round}: bytes of seq ${seq}`).toBe(0);
  }
  expect(stats.kills).toBe(ROUNDS);
  expect(stats.writes).toBeGreaterThan(0);
  console.info(
    `checkpoint-kill-during-save: ${stats.kills} SIGKILLs, ${stats.writes} confirmed writes of ~1.5 MB, ` +
      `${stats.tempFilesLeft} kills hit mid-write (temp file left behind), ${stats.unconfirmedButCommitted} landed between rename and confirmation; ` +
      'every time the newest checkpoint loaded intact',
  );
}, ROUNDS * 6_000 + 30_000);
