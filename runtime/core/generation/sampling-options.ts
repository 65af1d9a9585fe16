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

/** Validates sampling options, naming the bad key. The message is only written for a bad value. */
export function validateSamplingOptions(options: SamplingOptions): void {
  const { temperature = 0, topK = 0, topP = 1, repetitionPenalty = 1, seed } = options;
  const fail = (key: string, expected: string, value: unknown): never => {
    throw new NexusError('INVALID_OPTION', { key, reason: `expected ${expected}, got ${value}` });
  };
  if (!(Number.isFinite(temperature) && temperature >= 0)) fail('temperature', 'a number ≥ 0', temperature);
  if (!(Number.isInteger(topK) && topK >= 0)) fail('topK', 'an integer ≥ 0', topK);
  if (!(Number.isFinite(topP) && topP > 0 && topP <= 1)) fail('topP', 'a number in (0, 1]', topP);
  if (!(Number.isFinite(repetitionPenalty) && repetitionPenalty > 0)) fail('repetitionPenalty', 'a number > 0', repetitionPenalty);
  if (!(seed === undefined || Number.isInteger(seed))) fail('seed', 'an integer', seed);
}
