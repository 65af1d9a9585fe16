// nexusctl checkpoint list/verify/export/import on a temp data dir, with files written by the core encoder.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from '../../../runtime/core/checkpoint/checkpoint-codec.js';
import type { JsonValue } from '../../../runtime/core/checkpoint/checkpoint-types.js';
import { LearnerMemory } from '../../../runtime/core/learner/learner-memory.js';
import { FsCheckpointStore } from '../../../runtime/node/checkpoint-store-fs.js';
import { ensureBuilt, runCli } from './cli-harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'nexusctl-ckpt-'));
const checkpointsDir = join(dataDir, 'checkpoints');
const ids: string[] = [];

function memoryWith(question: string, answer: string): JsonValue {
  const memory = new LearnerMemory();
  memory.teach(question, answer, 'correction');
  return memory.toSection() as unknown as JsonValue;
}

async function encoded(seq: number): Promise<Uint8Array> {
  return encodeCheckpoint({
    header: { formatVersion: 2, createdAt: new Date(1_700_000_000_000 + seq * 1000).toISOString(), producer: 'nexus-edge/0.1.0 node', modelId: 'lexicon-tiny', modelSha256: 'ab'.repeat(32) },
    sections: { memory: memoryWith(`What is q${seq}?`, `a${seq}`), lifecycle: {} },
  });
}

beforeAll(async () => {
  const store = new FsCheckpointStore(checkpointsDir, { keep: 10 });
  for (const seq of [1, 2, 3]) ids.push((await store.write(await encoded(seq))).id);
  // Corrupt the middle one: flip a byte inside its body so a checksum no longer matches.
  const path = join(checkpointsDir, ids[1]);
  const bytes = readFileSync(path);
  bytes[bytes.length - 10] ^= 0xff;
  writeFileSync(path, bytes);
  await ensureBuilt();
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('nexusctl checkpoint', () => {
  it('list shows every checkpoint newest first, the corrupt one marked', async () => {
    const result = await runCli(['checkpoint', 'list', '--data-dir', dataDir, '--json']);
    expect(result.code).toBe(0);
    const listed = JSON.parse(result.stdout) as { checkpoints: Array<{ name: string; ok: boolean; modelId?: string }> };
    expect(listed.checkpoints.map((c) => c.name)).toEqual([...ids].reverse());
    expect(listed.checkpoints.map((c) => c.ok)).toEqual([true, false, true]);
    expect(listed.checkpoints[0].modelId).toBe('lexicon-tiny');
    const readable = await runCli(['checkpoint', 'list', '--data-dir', dataDir]);
    expect(readable.stdout).toContain(ids[2]);
    expect(readable.stdout).toMatch(new RegExp(`${ids[1]}.*corrupt`));
  });

  it('verify of all names the corrupt one and exits 5', async () => {
    const result = await runCli(['checkpoint', 'verify', '--data-dir', dataDir]);
    expect(result.code).toBe(5);
    expect(result.stdout).toMatch(new RegExp(`ok\\s+${ids[0]}`));
    expect(result.stdout).toMatch(new RegExp(`corrupt\\s+${ids[1]}: checkpoint is corrupt`));
    expect(result.stderr.trim()).toBe(`nexusctl: 1 of 3 checkpoint(s) corrupt: ${ids[1]}`);
  });

  it('verify of one good id (or file path) exits 0; of an unknown one exits 8', async () => {
    expect((await runCli(['checkpoint', 'verify', ids[2], '--data-dir', dataDir])).code).toBe(0);
    expect((await runCli(['checkpoint', 'verify', join(checkpointsDir, ids[0]), '--data-dir', dataDir])).code).toBe(0);
    expect((await runCli(['checkpoint', 'verify', join(checkpointsDir, ids[1]), '--data-dir', dataDir])).code).toBe(5);
    expect((await runCli(['checkpoint', 'verify', 'checkpoint-nope', '--data-dir', dataDir])).code).toBe(8);
  });

  it('export to a file named as the argument says to use --out; --out into a missing directory names it; --out a directory writes into it', async () => {
    const meant = join(dataDir, 'meant-as-output.nxck');
    const asArgument = await runCli(['checkpoint', 'export', meant, '--data-dir', dataDir]);
    expect(asArgument.code).toBe(8);
    expect(asArgument.stderr.trim()).toBe(`nexusctl: the file ${meant} does not exist; to write the newest checkpoint to ${meant}: nexusctl checkpoint export --out ${meant}`);
    expect(existsSync(meant)).toBe(false);

    const nowhere = join(dataDir, 'no-such-dir', 'out.nxck');
    const missingDir = await runCli(['checkpoint', 'export', '--out', nowhere, '--data-dir', dataDir]);
    expect(missingDir.code).toBe(1);
    expect(missingDir.stderr.trim()).toBe(`nexusctl: cannot write ${nowhere}: its directory does not exist`);

    // Into a directory, as cp does: under the checkpoint's name, nothing else left there.
    const backups = mkdtempSync(join(tmpdir(), 'nexusctl-backups-'));
    try {
      const intoDirectory = await runCli(['checkpoint', 'export', '--out', backups, '--data-dir', dataDir]);
      expect(intoDirectory.code).toBe(0);
      expect(readdirSync(backups)).toEqual([ids[2]]);
      expect(readFileSync(join(backups, ids[2]))).toEqual(readFileSync(join(checkpointsDir, ids[2])));
    } finally {
      rmSync(backups, { recursive: true, force: true });
    }
  });

  it('export writes the newest checkpoint; import stores it into a stopped appliance', async () => {
    const out = join(dataDir, 'exported.nxck');
    const exported = await runCli(['checkpoint', 'export', '--out', out, '--data-dir', dataDir]);
    expect(exported.code).toBe(0);
    expect(readFileSync(out)).toEqual(readFileSync(join(checkpointsDir, ids[2])));

    const other = mkdtempSync(join(tmpdir(), 'nexusctl-import-'));
    try {
      const imported = await runCli(['checkpoint', 'import', out, '--data-dir', other]);
      expect(imported.code).toBe(0);
      const listed = JSON.parse((await runCli(['checkpoint', 'list', '--data-dir', other, '--json'])).stdout) as { checkpoints: Array<{ ok: boolean }> };
      expect(listed.checkpoints).toHaveLength(1);
      expect(listed.checkpoints[0].ok).toBe(true);
      const corrupt = await runCli(['checkpoint', 'import', join(checkpointsDir, ids[1]), '--data-dir', other]);
      expect(corrupt.code).toBe(5);
      // Whole framing and hash around content no assistant accepts: refused, nothing stored.
      const decoded = await decodeCheckpoint(readFileSync(out));
      const badContent = join(dataDir, 'bad-content.nxck');
      writeFileSync(badContent, await encodeCheckpoint({ header: decoded.header, sections: { ...decoded.sections, memory: { capacity: 0, entries: [] } } }));
      const verified = await runCli(['checkpoint', 'verify', badContent, '--data-dir', other]);
      expect(verified.code).toBe(5);
      expect(verified.stdout + verified.stderr).toMatch(/capacity/);
      const refused = await runCli(['checkpoint', 'import', badContent, '--data-dir', other]);
      expect(refused.code).toBe(5);
      expect(refused.stderr).toMatch(/not a valid checkpoint.*capacity/);
      expect((JSON.parse((await runCli(['checkpoint', 'list', '--data-dir', other, '--json'])).stdout) as { checkpoints: unknown[] }).checkpoints).toHaveLength(1);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it("import into a stopped appliance adds the file's memory to its newest checkpoint instead of replacing it", async () => {
    const other = mkdtempSync(join(tmpdir(), 'nexusctl-import-merge-'));
    try {
      const store = new FsCheckpointStore(join(other, 'checkpoints'), { keep: 5 });
      const own = await store.write(await encoded(7));
      const file = join(other, 'from-phone.nxck');
      writeFileSync(file, await encoded(8));
      const imported = await runCli(['checkpoint', 'import', file, '--data-dir', other]);
      expect(imported.stderr).toBe('');
      expect(imported.code).toBe(0);
      expect(imported.stdout).toMatch(new RegExp(`^imported ${file} into \\S+ as checkpoint-\\S+\\.nxck, added to ${own.id}: memory 1 → 2 entries; the appliance starts from it\\n$`));
      const [newest] = await store.list();
      expect(newest.id).not.toBe(own.id);
      const merged = await decodeCheckpoint(await store.read(newest.id));
      expect(merged.header.modelSha256).toBe('ab'.repeat(32));
      const questions = (merged.sections.memory as { entries: { question: string }[] }).entries.map((entry) => entry.question);
      expect(questions.sort()).toEqual(['What is q7?', 'What is q8?']);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
