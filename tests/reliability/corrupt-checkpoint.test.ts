// A damaged newest checkpoint (truncated, flipped bytes, newer format, another model): startup falls back and logs why.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from '../../runtime/core/checkpoint/checkpoint-codec.js';
import type { Assistant } from '../../runtime/core/assistant/assistant.js';
import { startInProcess } from './appliance-in-process.js';

const FACT = { question: 'What does quorblat mean?', answer: 'quorblat (noun): a fact that must survive corruption.' };
let dataDir: string;
let goodId: string;
let good: Uint8Array;
let assistant: Assistant | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'nexus-corrupt-'));
  const first = await startInProcess(dataDir);
  assistant = first.app.daemon.assistant;
  await fetch(`${first.app.lanUrl}/api/teach`, { method: 'POST', body: JSON.stringify(FACT) });
  goodId = (await (await first.control({ action: 'save' })).json()).checkpoint.id;
  await first.app.close('test');
  // The shutdown save is newer; keep only the one saved by hand as "the previous good one".
  for (const name of await readdir(join(dataDir, 'checkpoints'))) if (name !== goodId) await rm(join(dataDir, 'checkpoints', name));
  good = new Uint8Array(await readFile(join(dataDir, 'checkpoints', goodId)));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** A checkpoint id one second newer than the good one. */
function newerId(): string {
  const ms = Number(goodId.slice(11, 26)) + 1000;
  return `checkpoint-${String(ms).padStart(15, '0')}-000000.nxck`;
}

/** Rewrites the version field and the trailing SHA-256, as a future runtime would frame its blob. */
function withVersion(bytes: Uint8Array, version: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint16(4, version);
  copy.set(createHash('sha256').update(copy.subarray(0, copy.length - 32)).digest(), copy.length - 32);
  return copy;
}

async function otherModel(bytes: Uint8Array): Promise<Uint8Array> {
  const decoded = await decodeCheckpoint(bytes);
  return encodeCheckpoint({ header: { ...decoded.header, modelSha256: 'ab'.repeat(32), modelId: 'some-other-model' }, sections: decoded.sections });
}

/** Whole framing and a valid SHA-256 around content no assistant accepts: a gate threshold of 5. */
async function badContent(bytes: Uint8Array): Promise<Uint8Array> {
  const decoded = await decodeCheckpoint(bytes);
  const gate = decoded.sections.gate as { settings: Record<string, unknown> };
  return encodeCheckpoint({ header: decoded.header, sections: { ...decoded.sections, gate: { ...gate, settings: { ...gate.settings, threshold: 5 } } } });
}

const cases: Array<{ name: string; make: () => Uint8Array | Promise<Uint8Array>; code: string; reason: RegExp }> = [
  { name: 'truncated to half', make: () => good.slice(0, good.length >> 1), code: 'CHECKPOINT_CORRUPT', reason: /checkpoint/i },
  { name: 'truncated to zero bytes', make: () => new Uint8Array(0), code: 'CHECKPOINT_CORRUPT', reason: /checkpoint/i },
  {
    name: 'bytes flipped in the middle',
    make: () => {
      const copy = good.slice();
      for (let i = 20; i < 28; i++) copy[(copy.length >> 1) + i] ^= 0x5a;
      return copy;
    },
    code: 'CHECKPOINT_CORRUPT',
    reason: /SHA-256|digest|checksum/i,
  },
  { name: 'whole framing around a gate section no assistant accepts', make: () => badContent(good), code: 'CHECKPOINT_CORRUPT', reason: /threshold/ },
  { name: 'a newer format version', make: () => withVersion(good, 99), code: 'CHECKPOINT_VERSION_UNSUPPORTED', reason: /99/ },
];

describe('startup with a damaged newest checkpoint', () => {
  for (const scenario of cases) {
    it(`${scenario.name}: starts on the previous one and logs why`, async () => {
      const badId = newerId();
      await writeFile(join(dataDir, 'checkpoints', badId), await scenario.make());
      const t = await startInProcess(dataDir, {}, { assistant });
      try {
        const skipped = t.logs.find((line) => line.event === 'checkpoint.skipped');
        expect(skipped).toMatchObject({ level: 'warn', id: badId, code: scenario.code });
        expect(String(skipped?.reason)).toMatch(scenario.reason);
        expect(t.logs.find((line) => line.event === 'checkpoint.restored')).toMatchObject({ id: goodId, skipped: 1 });
        const reply = await (await fetch(`${t.app.lanUrl}/api/interact`, { method: 'POST', body: JSON.stringify({ prompt: FACT.question }) })).json();
        expect(reply).toMatchObject({ source: 'memory', response: FACT.answer });
        // The damaged file is left for the operator to inspect, never overwritten in place.
        expect(await readdir(join(dataDir, 'checkpoints'))).toContain(badId);
      } finally {
        await t.app.close('test');
        for (const name of await readdir(join(dataDir, 'checkpoints'))) if (name !== goodId) await rm(join(dataDir, 'checkpoints', name));
      }
    });
  }

  it("another model's checkpoint: keeps the memory, drops the model-dependent gate, and says so", async () => {
    const badId = newerId();
    await writeFile(join(dataDir, 'checkpoints', badId), await otherModel(good));
    const t = await startInProcess(dataDir, {}, { assistant });
    try {
      expect(t.logs.find((line) => line.event === 'checkpoint.restored')).toMatchObject({ level: 'warn', id: badId, modelMismatch: true, dropped: ['gate'] });
      const reply = await (await fetch(`${t.app.lanUrl}/api/interact`, { method: 'POST', body: JSON.stringify({ prompt: FACT.question }) })).json();
      expect(reply).toMatchObject({ source: 'memory' });
    } finally {
      await t.app.close('test');
      for (const name of await readdir(join(dataDir, 'checkpoints'))) if (name !== goodId) await rm(join(dataDir, 'checkpoints', name));
    }
  });
});
