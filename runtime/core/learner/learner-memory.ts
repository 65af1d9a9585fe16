// LearnerMemory: the bounded LRU of taught answers (question → answer) that the device learns through.
import * as z from 'zod';
import { NexusError } from '../nexus-error.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { normalizeQuestion } from './normalize-question.js';

/** Where an answer came from: a user's correction or the teacher. */
export type LearnerSource = 'correction' | 'teacher';

// Types rather than interfaces: only type aliases are assignable to the checkpoint's JsonValue.

/** One remembered answer. Times are wall-clock ms since the epoch. */
export type LearnerEntry = {
  /** The question as first taught (for display). */
  question: string;
  /** normalizeQuestion(question): what lookups match on. */
  key: string;
  answer: string;
  source: LearnerSource;
  createdAt: number;
  lastUsedAt: number;
  /** How many lookups it answered. */
  hits: number;
};

/** The checkpoint section: plain JSON, entries in LRU order (least recently used first). */
export type LearnerMemorySection = {
  capacity: number;
  entries: LearnerEntry[];
};

export interface LearnerMemoryOptions {
  /** Most entries kept; the least recently used is evicted beyond it (default 2048). */
  capacity?: number;
  /** Timestamps come from `now()` (default systemClock). */
  clock?: Clock;
}

/** Default number of entries, as in the spec. */
export const DEFAULT_LEARNER_CAPACITY = 2048;
/** Longest answer kept, in UTF-16 code units: memory answers stay short, and the bound stays a bound. */
export const MAX_ANSWER_CHARS = 4000;
/** Longest question kept, in UTF-16 code units. */
export const MAX_QUESTION_CHARS = 1000;

const SOURCES = ['correction', 'teacher'] as const satisfies readonly LearnerSource[];

/** Why a question, answer or source cannot be stored, or undefined when it can. */
function problemWith(field: 'question' | 'answer' | 'source', value: unknown): string | undefined {
  if (field === 'source') return SOURCES.includes(value as LearnerSource) ? undefined : `expected one of ${SOURCES.join(', ')}, got ${JSON.stringify(value)}`;
  const max = field === 'question' ? MAX_QUESTION_CHARS : MAX_ANSWER_CHARS;
  if (typeof value !== 'string') return `expected a string, got ${typeof value}`;
  if (value.trim() === '') return 'must not be empty or blank';
  if (value.length > max) return `is ${value.length} characters; at most ${max} are kept`;
  if (field === 'question' && normalizeQuestion(value) === '') return 'has nothing left after normalization (only punctuation?)';
  return undefined;
}

const timestamp = z.number().nonnegative();
const text = (field: 'question' | 'answer') =>
  z.string().superRefine((value, ctx) => {
    const problem = problemWith(field, value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const sectionSchema = z.object({
  capacity: z.number().int().positive(),
  entries: z.array(
    z.object({
      question: text('question'),
      key: z.string(),
      answer: text('answer'),
      source: z.enum(SOURCES),
      createdAt: timestamp,
      lastUsedAt: timestamp,
      hits: z.number().int().nonnegative(),
    }),
  ),
});

function checkCapacity(capacity: number): number {
  if (!Number.isInteger(capacity) || capacity < 1) throw new NexusError('INVALID_OPTION', { key: 'capacity', reason: `expected an integer ≥ 1, got ${capacity}` });
  return capacity;
}

/**
 * A bounded, least-recently-used map from normalized question to answer. A lookup that hits
 * refreshes the entry; teaching beyond capacity evicts the least recently used entry.
 */
export class LearnerMemory {
  readonly capacity: number;
  readonly #clock: Clock;
  /** Map iteration order is insertion order: re-inserting on use keeps it LRU, oldest first. */
  readonly #entries = new Map<string, LearnerEntry>();

  constructor(options: LearnerMemoryOptions = {}) {
    this.capacity = checkCapacity(options.capacity ?? DEFAULT_LEARNER_CAPACITY);
    this.#clock = options.clock ?? systemClock;
  }

  /** Number of entries. */
  get size(): number {
    return this.#entries.size;
  }

  /** Replaces every entry with `other`'s (a restored checkpoint), keeping this memory's capacity. */
  replaceWith(other: LearnerMemory): void {
    this.#entries.clear();
    for (const entry of other.entries().slice(-this.capacity)) this.#entries.set(entry.key, entry);
  }

  /**
   * Adds `other`'s entries (a checkpoint from another device) to this memory's: for a question both
   * hold, the answer taught last wins; recency orders the result and the least recently used go
   * beyond capacity.
   */
  mergeFrom(other: LearnerMemory): void {
    const merged = new Map(this.#entries);
    for (const entry of other.entries()) {
      const mine = merged.get(entry.key);
      if (!mine || entry.createdAt > mine.createdAt) merged.set(entry.key, entry);
    }
    this.#entries.clear();
    for (const entry of [...merged.values()].sort((a, b) => a.lastUsedAt - b.lastUsedAt)) this.#put(entry);
  }

  /**
   * Stores an answer, replacing any entry with the same normalized question, and returns it.
   * Throws NexusError INVALID_OPTION naming `question`, `answer` or `source` when one is unusable
   * (blank, longer than MAX_QUESTION_CHARS / MAX_ANSWER_CHARS, unknown source).
   */
  teach(question: string, answer: string, source: LearnerSource): LearnerEntry {
    for (const [key, value] of [['question', question], ['answer', answer], ['source', source]] as const) {
      const reason = problemWith(key, value);
      if (reason) throw new NexusError('INVALID_OPTION', { key, reason });
    }
    const now = this.#clock.now();
    const entry: LearnerEntry = { question: question.trim(), key: normalizeQuestion(question), answer: answer.trim(), source, createdAt: now, lastUsedAt: now, hits: 0 };
    this.#put(entry);
    return { ...entry };
  }

  /** The entry whose normalized question equals this one's (refreshing its recency and hits), or undefined. */
  lookup(question: string): LearnerEntry | undefined {
    const key = normalizeQuestion(question);
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    entry.hits += 1;
    entry.lastUsedAt = this.#clock.now();
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return { ...entry };
  }

  /** Removes what was taught for this question; true when something was removed. */
  forget(question: string): boolean {
    return this.#entries.delete(normalizeQuestion(question));
  }

  /** Copies of all entries, least recently used first. */
  entries(): LearnerEntry[] {
    return [...this.#entries.values()].map((entry) => ({ ...entry }));
  }

  /** The checkpoint section (plain JSON, LRU order) that fromSection() reads back. */
  toSection(): LearnerMemorySection {
    return { capacity: this.capacity, entries: this.entries() };
  }

  /**
   * Rebuilds a memory from a checkpoint section. `options.capacity` overrides the stored one; when
   * the entries exceed it, the least recently used are dropped. Keys are recomputed from the
   * questions, so a section written by an older normalizer still matches (on a clash the later,
   * more recent entry wins). Throws NexusError CHECKPOINT_CORRUPT naming the bad field.
   */
  static fromSection(json: unknown, options: LearnerMemoryOptions = {}): LearnerMemory {
    const parsed = sectionSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = ['learner', ...(issue?.path ?? []).map(String)].join('.');
      throw new NexusError('CHECKPOINT_CORRUPT', { field, reason: `[${field}] ${issue?.message ?? 'invalid'}` });
    }
    const memory = new LearnerMemory({ capacity: options.capacity ?? parsed.data.capacity, clock: options.clock });
    for (const entry of parsed.data.entries) {
      memory.#put({ ...entry, question: entry.question.trim(), key: normalizeQuestion(entry.question), answer: entry.answer.trim() });
    }
    return memory;
  }

  /** Inserts as most recent, evicting the least recently used beyond capacity. */
  #put(entry: LearnerEntry): void {
    this.#entries.delete(entry.key);
    this.#entries.set(entry.key, entry);
    while (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }
}
