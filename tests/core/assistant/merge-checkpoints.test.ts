// mergeCheckpoints: a stored checkpoint with an imported one added, as a running assistant would merge it.
import { describe, expect, it } from 'vitest';
import { mergeCheckpoints } from '../../../runtime/core/assistant/merge-checkpoints.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../../runtime/core/checkpoint/checkpoint-codec.js';
import type { JsonValue } from '../../../runtime/core/checkpoint/checkpoint-types.js';
import { LearnerMemory } from '../../../runtime/core/learner/learner-memory.js';

const mine = 'ab'.repeat(32);
const theirs = 'cd'.repeat(32);

function memory(entries: [string, string, number][]): JsonValue {
  let now = 0;
  const learner = new LearnerMemory({ capacity: 10, clock: { now: () => now, monotonic: () => now } });
  for (const [question, answer, at] of entries) {
    now = at;
    learner.teach(question, answer, 'correction');
  }
  return learner.toSection() as unknown as JsonValue;
}

async function checkpoint(modelSha256: string, sections: Record<string, JsonValue>, decodeFor = mine) {
  const bytes = await encodeCheckpoint({ header: { formatVersion: 2, createdAt: '2026-01-01T00:00:00.000Z', producer: 'test', modelId: 'lexicon-tiny', modelSha256 }, sections });
  return decodeCheckpoint(bytes, { modelSha256: decodeFor });
}

describe('mergeCheckpoints', () => {
  it("adds the incoming memory to the base's, the answer taught last winning, and keeps base's header and capacity", async () => {
    const base = await checkpoint(mine, { memory: memory([['What is a?', 'old a', 1], ['What is b?', 'b', 2]]), gate: { threshold: 0.5 } });
    const incoming = await checkpoint(mine, { memory: memory([['What is a?', 'new a', 3], ['What is c?', 'c', 4]]), gate: { threshold: 0.7 }, lifecycle: { asked: 9 } });
    const merged = mergeCheckpoints(base, incoming, 'nexus-edge test');
    const restored = LearnerMemory.fromSection(merged.sections.memory);
    expect(restored.size).toBe(3);
    expect(restored.capacity).toBe(10);
    expect(restored.lookup('What is a?')?.answer).toBe('new a');
    expect(restored.lookup('What is b?')?.answer).toBe('b');
    expect(merged.sections.gate).toEqual({ threshold: 0.7 });
    expect(merged.sections.lifecycle).toEqual({ asked: 9 });
    expect(merged.header).toMatchObject({ modelSha256: mine, producer: 'nexus-edge test' });
  });

  it("keeps the base's gate calibration when the incoming checkpoint was made with another model", async () => {
    const base = await checkpoint(mine, { memory: memory([['What is a?', 'a', 1]]), gate: { threshold: 0.5 } });
    const incoming = await checkpoint(theirs, { memory: memory([['What is c?', 'c', 2]]), gate: { threshold: 0.9 } });
    expect(incoming.droppedSections).toEqual(['gate']);
    const merged = mergeCheckpoints(base, incoming, 'test');
    expect(merged.sections.gate).toEqual({ threshold: 0.5 });
    expect(LearnerMemory.fromSection(merged.sections.memory).size).toBe(2);
  });
});
