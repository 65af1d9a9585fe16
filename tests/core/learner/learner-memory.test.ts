// Tests for LearnerMemory: LRU order and eviction, validation, checkpoint section round trip, properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LEARNER_CAPACITY, LearnerMemory, MAX_ANSWER_CHARS, type LearnerEntry } from '../../../runtime/core/learner/learner-memory.js';
import { isNexusError, type NexusError } from '../../../runtime/core/nexus-error.js';
import type { Clock } from '../../../runtime/core/platform/clock.js';

/** A clock that moves only when told to, so timestamps are exact. */
function fakeClock(start = 1_700_000_000_000): Clock & { advance(ms: number): void } {
  let t = start;
  return { now: () => t, monotonic: () => t, advance: (ms) => void (t += ms) };
}

function thrown(fn: () => unknown): NexusError {
  try {
    fn();
  } catch (error) {
    if (isNexusError(error)) return error;
    throw error;
  }
  throw new Error('expected a NexusError, nothing was thrown');
}

const questions = (memory: LearnerMemory) => memory.entries().map((entry) => entry.question);

describe('LearnerMemory', () => {
  it('answers a taught question under its spelling variants', () => {
    const memory = new LearnerMemory();
    memory.teach('What does Blorvantic mean?', 'A made-up word for testing.', 'correction');
    const entry = memory.lookup('what does  blorvantic mean');
    expect(entry).toMatchObject({ question: 'What does Blorvantic mean?', key: 'what does blorvantic mean', answer: 'A made-up word for testing.', source: 'correction', hits: 1 });
    expect(memory.lookup('what does blorvantic MEAN!')?.hits).toBe(2);
    expect(memory.lookup('what does glimmerous mean')).toBeUndefined();
  });

  it('stamps createdAt, lastUsedAt and hits from the injected clock', () => {
    const clock = fakeClock();
    const memory = new LearnerMemory({ clock });
    const taught = memory.teach('q1', 'a1', 'teacher');
    expect(taught).toMatchObject({ createdAt: clock.now(), lastUsedAt: clock.now(), hits: 0 });
    clock.advance(5000);
    const used = memory.lookup('Q1?');
    expect(used).toMatchObject({ createdAt: taught.createdAt, lastUsedAt: taught.createdAt + 5000, hits: 1 });
  });

  it('returns copies: changing a returned entry does not change the memory', () => {
    const memory = new LearnerMemory();
    const entry = memory.teach('q', 'a', 'teacher');
    entry.answer = 'tampered';
    memory.entries()[0]!.answer = 'tampered too';
    expect(memory.lookup('q')?.answer).toBe('a');
  });

  it('replaces the entry of an existing key and makes it the most recent', () => {
    const memory = new LearnerMemory({ capacity: 3 });
    memory.teach('a', 'old', 'teacher');
    memory.teach('b', 'x', 'teacher');
    memory.teach('A?', 'new', 'correction');
    expect(memory.size).toBe(2);
    expect(questions(memory)).toEqual(['b', 'A?']);
    expect(memory.lookup('a')).toMatchObject({ answer: 'new', source: 'correction' });
  });

  it('evicts the least recently used entry at capacity', () => {
    const memory = new LearnerMemory({ capacity: 3 });
    for (const q of ['a', 'b', 'c', 'd']) memory.teach(q, `answer ${q}`, 'teacher');
    expect(memory.size).toBe(3);
    expect(questions(memory)).toEqual(['b', 'c', 'd']);
    expect(memory.lookup('a')).toBeUndefined();
  });

  it('lookup refreshes recency, so the refreshed entry survives eviction', () => {
    const memory = new LearnerMemory({ capacity: 3 });
    for (const q of ['a', 'b', 'c']) memory.teach(q, `answer ${q}`, 'teacher');
    memory.lookup('a');
    memory.teach('d', 'answer d', 'teacher');
    expect(questions(memory)).toEqual(['c', 'a', 'd']);
    expect(memory.lookup('b')).toBeUndefined();
  });

  it('a missed lookup changes nothing', () => {
    const memory = new LearnerMemory({ capacity: 2 });
    memory.teach('a', '1', 'teacher');
    memory.teach('b', '2', 'teacher');
    memory.lookup('zzz');
    expect(questions(memory)).toEqual(['a', 'b']);
  });

  it('holds the default 2048 entries and evicts the oldest on the 2049th', () => {
    const memory = new LearnerMemory();
    expect(memory.capacity).toBe(DEFAULT_LEARNER_CAPACITY);
    for (let i = 0; i <= 2048; i++) memory.teach(`what does word${i} mean?`, `meaning ${i}`, 'teacher');
    expect(memory.size).toBe(2048);
    expect(memory.lookup('what does word0 mean')).toBeUndefined();
    expect(memory.lookup('what does word1 mean')?.answer).toBe('meaning 1');
    expect(memory.lookup('what does word2048 mean')?.answer).toBe('meaning 2048');
  });

  it('forgets a question by any of its spellings', () => {
    const memory = new LearnerMemory();
    memory.teach('What is X?', 'x', 'correction');
    expect(memory.forget('what is x')).toBe(true);
    expect(memory.forget('what is x')).toBe(false);
    expect(memory.size).toBe(0);
  });

  it('merges another memory: keeps its own entries, the answer taught last wins, recency orders, capacity holds', () => {
    const clock = fakeClock();
    const mine = new LearnerMemory({ capacity: 3, clock });
    const theirs = new LearnerMemory({ clock });
    mine.teach('What is A?', 'mine A', 'correction');
    clock.advance(10);
    theirs.teach('What is A?', 'theirs A, taught later', 'correction');
    clock.advance(10);
    mine.teach('What is B?', 'mine B', 'correction');
    clock.advance(10);
    theirs.teach('What is C?', 'theirs C', 'teacher');
    mine.mergeFrom(theirs);
    expect(questions(mine)).toEqual(['What is A?', 'What is B?', 'What is C?']);
    expect(mine.lookup('what is a')?.answer).toBe('theirs A, taught later');
    expect(mine.lookup('what is b')?.answer).toBe('mine B');

    clock.advance(10);
    const newer = new LearnerMemory({ clock });
    newer.teach('What is D?', 'theirs D', 'correction');
    mine.mergeFrom(newer);
    expect(mine.size).toBe(3);
    expect(questions(mine)).toEqual(['What is A?', 'What is B?', 'What is D?']);
  });

  it('refuses blank, punctuation-only or oversized input, naming the key', () => {
    const memory = new LearnerMemory();
    const cases: Array<[() => unknown, string]> = [
      [() => memory.teach('', 'a', 'teacher'), 'question'],
      [() => memory.teach('  \n', 'a', 'teacher'), 'question'],
      [() => memory.teach('?!', 'a', 'teacher'), 'question'],
      [() => memory.teach('q', ' ', 'teacher'), 'answer'],
      [() => memory.teach('q', 'x'.repeat(MAX_ANSWER_CHARS + 1), 'teacher'), 'answer'],
      [() => memory.teach('q', 'a', 'guess' as never), 'source'],
      [() => new LearnerMemory({ capacity: 0 }), 'capacity'],
      [() => new LearnerMemory({ capacity: 1.5 }), 'capacity'],
    ];
    for (const [fn, key] of cases) {
      const error = thrown(fn);
      expect(error.code).toBe('INVALID_OPTION');
      expect(error.details.key).toBe(key);
      expect(error.message).toContain(`[${key}]`);
    }
    expect(thrown(() => memory.teach('q', 'x'.repeat(MAX_ANSWER_CHARS + 1), 'teacher')).message).toContain(`at most ${MAX_ANSWER_CHARS}`);
    expect(memory.teach('q', 'x'.repeat(MAX_ANSWER_CHARS), 'teacher').answer).toHaveLength(MAX_ANSWER_CHARS);
  });

  describe('checkpoint section', () => {
    it('round-trips through JSON with order, hits and timestamps intact', () => {
      const clock = fakeClock();
      const memory = new LearnerMemory({ capacity: 5, clock });
      for (const q of ['a', 'b', 'c']) {
        memory.teach(`What is ${q}?`, `It is ${q}.`, q === 'b' ? 'correction' : 'teacher');
        clock.advance(1000);
      }
      memory.lookup('what is a');
      const section = JSON.parse(JSON.stringify(memory.toSection())) as unknown;
      const restored = LearnerMemory.fromSection(section);
      expect(restored.capacity).toBe(5);
      expect(restored.entries()).toEqual(memory.entries());
      expect(restored.toSection()).toEqual(memory.toSection());
      expect(restored.entries().map((e) => e.question)).toEqual(['What is b?', 'What is c?', 'What is a?']);
    });

    it('keeps the most recent entries when loaded with a smaller capacity', () => {
      const memory = new LearnerMemory({ capacity: 4 });
      for (const q of ['a', 'b', 'c', 'd']) memory.teach(q, q, 'teacher');
      const restored = LearnerMemory.fromSection(memory.toSection(), { capacity: 2 });
      expect(restored.capacity).toBe(2);
      expect(questions(restored)).toEqual(['c', 'd']);
    });

    it('recomputes keys from the questions', () => {
      const entry: LearnerEntry = { question: 'What is X?', key: 'stale key', answer: 'x', source: 'teacher', createdAt: 1, lastUsedAt: 2, hits: 3 };
      const restored = LearnerMemory.fromSection({ capacity: 10, entries: [entry] });
      expect(restored.lookup('what is x')).toMatchObject({ key: 'what is x', hits: 4 });
    });

    const good = { question: 'q', key: 'q', answer: 'a', source: 'teacher', createdAt: 1, lastUsedAt: 1, hits: 0 };
    const invalid: Array<[string, unknown, string]> = [
      ['not an object', 'memory', 'learner'],
      ['null', null, 'learner'],
      ['missing capacity', { entries: [] }, 'learner.capacity'],
      ['zero capacity', { capacity: 0, entries: [] }, 'learner.capacity'],
      ['entries not an array', { capacity: 2, entries: {} }, 'learner.entries'],
      ['answer not a string', { capacity: 2, entries: [good, { ...good, answer: 42 }] }, 'learner.entries.1.answer'],
      ['blank question', { capacity: 2, entries: [{ ...good, question: '  ' }] }, 'learner.entries.0.question'],
      ['oversized answer', { capacity: 2, entries: [{ ...good, answer: 'x'.repeat(MAX_ANSWER_CHARS + 1) }] }, 'learner.entries.0.answer'],
      ['unknown source', { capacity: 2, entries: [{ ...good, source: 'rumour' }] }, 'learner.entries.0.source'],
      ['negative hits', { capacity: 2, entries: [{ ...good, hits: -1 }] }, 'learner.entries.0.hits'],
      ['fractional hits', { capacity: 2, entries: [{ ...good, hits: 0.5 }] }, 'learner.entries.0.hits'],
      ['missing createdAt', { capacity: 2, entries: [{ ...good, createdAt: undefined }] }, 'learner.entries.0.createdAt'],
    ];
    it.each(invalid)('rejects %s with CHECKPOINT_CORRUPT naming the field', (_name, json, field) => {
      const error = thrown(() => LearnerMemory.fromSection(json));
      expect(error.code).toBe('CHECKPOINT_CORRUPT');
      expect(error.details.field).toBe(field);
      expect(error.message).toContain(`[${field}]`);
    });
  });

  describe('properties', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('teach' as const), q: fc.string({ minLength: 1, maxLength: 6 }), a: fc.string({ minLength: 1, maxLength: 6 }) }),
      fc.record({ kind: fc.constant('lookup' as const), q: fc.string({ maxLength: 6 }) }),
      fc.record({ kind: fc.constant('forget' as const), q: fc.string({ maxLength: 6 }) }),
    );

    it('never holds more than its capacity, whatever is taught, looked up or forgotten', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 8 }), fc.array(op, { maxLength: 60 }), (capacity, ops) => {
          const memory = new LearnerMemory({ capacity });
          for (const o of ops) {
            if (o.kind === 'teach') {
              try {
                memory.teach(o.q, o.a, 'teacher');
              } catch (error) {
                expect(isNexusError(error, 'INVALID_OPTION')).toBe(true);
              }
            } else if (o.kind === 'lookup') memory.lookup(o.q);
            else memory.forget(o.q);
            expect(memory.size).toBeLessThanOrEqual(capacity);
            expect(memory.entries()).toHaveLength(memory.size);
            expect(new Set(memory.entries().map((e) => e.key)).size).toBe(memory.size);
          }
          expect(LearnerMemory.fromSection(JSON.parse(JSON.stringify(memory.toSection()))).toSection()).toEqual(memory.toSection());
        }),
        { numRuns: 300 },
      );
    });

    it('a just-taught valid question is always found', () => {
      fc.assert(
        fc.property(fc.string({ minLength: 1, maxLength: 30 }).filter((q) => /\p{L}/u.test(q)), fc.string({ minLength: 1, maxLength: 30 }).filter((a) => a.trim() !== ''), (q, a) => {
          const memory = new LearnerMemory({ capacity: 1 });
          memory.teach(q, a, 'correction');
          expect(memory.lookup(q)?.answer).toBe(a.trim());
        }),
      );
    });
  });
});
