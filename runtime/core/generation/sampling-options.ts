// SamplingOptions: how the next token is chosen; temperature 0 means greedy.
import { NexusError } from '../nexus-error.js';

export interface SamplingOptions {
  /** 0 = greedy (the default); higher = more random. */
  temperature?: number;
  /** Keep only the k most likely tokens (0 = off). */
  topK?: number;
  /** Keep the smallest set of tokens whose probability reaches p (1 = off). */
  topP?: number;
  /** > 1 discourages tokens already in the prompt or answer (1 = off). */
  repetitionPenalty?: number;
  /** Seed for reproducible sampling; the same seed and prompt give the same answer. */
  seed?: number;
}

function check(condition: boolean, key: string, reason: string): void {
  if (!condition) throw new NexusError('INVALID_OPTION', { key, reason });
}

/** Validates sampling options, naming the bad key. */
export function validateSamplingOptions(options: SamplingOptions): void {
  const { temperature = 0, topK = 0, topP = 1, repetitionPenalty = 1, seed } = options;
  check(Number.isFinite(temperature) && temperature >= 0, 'temperature', `expected a number ≥ 0, got ${temperature}`);
  check(Number.isInteger(topK) && topK >= 0, 'topK', `expected an integer ≥ 0, got ${topK}`);
  check(Number.isFinite(topP) && topP > 0 && topP <= 1, 'topP', `expected a number in (0, 1], got ${topP}`);
  check(Number.isFinite(repetitionPenalty) && repetitionPenalty > 0, 'repetitionPenalty', `expected a number > 0, got ${repetitionPenalty}`);
  check(seed === undefined || Number.isInteger(seed), 'seed', `expected an integer, got ${seed}`);
}
