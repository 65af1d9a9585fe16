// Tests for TokenSampler and validateSamplingOptions: greedy, penalties, top-k/top-p, seeding, empirical softmax frequencies, option errors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NexusError } from '../../../runtime/core/nexus-error.js';
import { validateSamplingOptions, type SamplingOptions } from '../../../runtime/core/generation/sampling-options.js';
import { TokenSampler } from '../../../runtime/core/generation/token-sampler.js';
import { summarizeLogits } from '../../../runtime/core/generation/token-stats.js';

function softmax(values: readonly number[], temperature = 1): number[] {
  const scaled = values.map((v) => v / temperature);
  const max = Math.max(...scaled);
  const exps = scaled.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

function draw(sampler: TokenSampler, logits: Float32Array, count: number, history: number[] = []): number[] {
  const summary = summarizeLogits(logits);
  return Array.from({ length: count }, () => sampler.choose(logits, summary, history));
}

function frequencies(choices: readonly number[], size: number): number[] {
  const counts = new Array<number>(size).fill(0);
  for (const id of choices) counts[id]++;
  return counts.map((c) => c / choices.length);
}

const logitsArb = fc
  .array(fc.float({ min: -20, max: 20, noNaN: true, noDefaultInfinity: true }), { minLength: 2, maxLength: 200 })
  .map((values) => Float32Array.from(values));

describe('TokenSampler: greedy', () => {
  it('defaults to greedy and returns the argmax', () => {
    const sampler = new TokenSampler();
    expect(sampler.isGreedy).toBe(true);
    fc.assert(
      fc.property(logitsArb, (logits) => {
        expect(sampler.choose(logits, summarizeLogits(logits), [])).toBe(argmax(logits));
      }),
      { numRuns: 100 },
    );
  });

  it('repetition penalty of 1 (off) leaves the greedy choice alone, whatever the history', () => {
    const logits = Float32Array.from([0.1, 3, 2.9]);
    expect(new TokenSampler({ repetitionPenalty: 1 }).choose(logits, summarizeLogits(logits), [1, 1, 1])).toBe(1);
  });

  it('repetition penalty changes the greedy choice when the top token (positive logit) is in history', () => {
    const logits = Float32Array.from([0.5, 2, 1.5]);
    const summary = summarizeLogits(logits);
    const sampler = new TokenSampler({ repetitionPenalty: 2 });
    expect(sampler.choose(logits, summary, [])).toBe(1);
    expect(sampler.choose(logits, summary, [1])).toBe(2); // 2 / 2 = 1 < 1.5
    expect(sampler.choose(logits, summary, [1, 1, 1])).toBe(2); // penalized once, not per occurrence
    expect(sampler.choose(logits, summary, [1, 2])).toBe(1); // both penalized: 1 > 0.75 > 0.5
    expect(new TokenSampler({ repetitionPenalty: 5 }).choose(logits, summary, [1, 2])).toBe(0); // 0.4, 0.3 < 0.5
  });

  it('repetition penalty multiplies negative logits (pushing them further down)', () => {
    const logits = Float32Array.from([-1, -1.5, -4]);
    const summary = summarizeLogits(logits);
    const sampler = new TokenSampler({ repetitionPenalty: 2 });
    expect(sampler.choose(logits, summary, [])).toBe(0);
    expect(sampler.choose(logits, summary, [0])).toBe(1); // -1 * 2 = -2 < -1.5
    // Dividing a negative logit would have raised it to -0.5 and kept token 0.
  });

  it('repetition penalty < 1 favours tokens in history', () => {
    const logits = Float32Array.from([2, 1.5]);
    expect(new TokenSampler({ repetitionPenalty: 0.5 }).choose(logits, summarizeLogits(logits), [1])).toBe(1); // 1.5 / 0.5 = 3
  });

  it('does not mutate the caller’s logits when penalizing', () => {
    const logits = Float32Array.from([0.5, 2, -1.5]);
    const copy = logits.slice();
    new TokenSampler({ repetitionPenalty: 3, temperature: 0.7, seed: 1 }).choose(logits, summarizeLogits(logits), [0, 1, 2]);
    expect(Array.from(logits)).toEqual(Array.from(copy));
  });
});

describe('TokenSampler: top-k / top-p', () => {
  it('top-k = 1 is always the argmax, under any temperature and seed', () => {
    fc.assert(
      fc.property(logitsArb, fc.double({ min: 0.01, max: 100, noNaN: true }), fc.integer(), (logits, temperature, seed) => {
        const sampler = new TokenSampler({ topK: 1, temperature, seed });
        expect(sampler.isGreedy).toBe(false);
        for (const id of draw(sampler, logits, 5)) expect(id).toBe(argmax(logits));
      }),
      { numRuns: 100 },
    );
  });

  it('a tiny top-p keeps only the argmax', () => {
    fc.assert(
      fc.property(logitsArb, fc.double({ min: 0.05, max: 50, noNaN: true }), fc.integer(), (logits, temperature, seed) => {
        const sampler = new TokenSampler({ topP: 1e-9, temperature, seed });
        for (const id of draw(sampler, logits, 5)) expect(id).toBe(argmax(logits));
      }),
      { numRuns: 100 },
    );
  });

  it('top-k = 2 samples only the two best, in renormalized proportion', () => {
    const values = [1, 0.5, 0, -0.5, 2];
    const logits = Float32Array.from(values);
    const choices = draw(new TokenSampler({ topK: 2, temperature: 1, seed: 7 }), logits, 20_000);
    const freq = frequencies(choices, values.length);
    const p = softmax([values[4], values[0]]);
    expect(freq[1] + freq[2] + freq[3]).toBe(0);
    expect(freq[4]).toBeCloseTo(p[0], 1);
    expect(Math.abs(freq[4] - p[0])).toBeLessThan(0.015);
  });

  it('top-p keeps the smallest prefix reaching p and renormalizes', () => {
    const probs = [0.5, 0.3, 0.2];
    const logits = Float32Array.from(probs.map(Math.log));
    const choices = draw(new TokenSampler({ topP: 0.7, temperature: 1, seed: 11 }), logits, 20_000);
    const freq = frequencies(choices, 3);
    expect(freq[2]).toBe(0);
    expect(Math.abs(freq[0] - 0.5 / 0.8)).toBeLessThan(0.015);
    expect(Math.abs(freq[1] - 0.3 / 0.8)).toBeLessThan(0.015);
  });
});

describe('TokenSampler: seeding and distribution', () => {
  const uniform = new Float32Array(5);

  it('reports the seed it was given, and a 32-bit integer seed when none was given', () => {
    expect(new TokenSampler({ seed: 1234, temperature: 1 }).seed).toBe(1234);
    const seed = new TokenSampler({ temperature: 1 }).seed;
    expect(Number.isInteger(seed)).toBe(true);
    expect(seed).toBeGreaterThanOrEqual(0);
    expect(seed).toBeLessThan(2 ** 32);
  });

  it('same seed → same sequence over many draws; different seeds → different sequences', () => {
    const a = draw(new TokenSampler({ temperature: 1, seed: 42 }), uniform, 500);
    const b = draw(new TokenSampler({ temperature: 1, seed: 42 }), uniform, 500);
    const c = draw(new TokenSampler({ temperature: 1, seed: 43 }), uniform, 500);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(new Set(a).size).toBe(5);
  });

  it('any two distinct seeds give different 64-draw sequences (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: 2 ** 31 }), (s1, s2) => {
        fc.pre(s1 !== s2);
        const a = draw(new TokenSampler({ temperature: 1, seed: s1 }), uniform, 64);
        const b = draw(new TokenSampler({ temperature: 1, seed: s2 }), uniform, 64);
        expect(a).not.toEqual(b);
      }),
      { numRuns: 50 },
    );
  });

  it('empirical frequencies at temperature 1 match the softmax (20k draws, 5 tokens)', () => {
    const values = [1.2, 0.3, -0.5, 2, 0];
    const choices = draw(new TokenSampler({ temperature: 1, seed: 2024 }), Float32Array.from(values), 20_000);
    const freq = frequencies(choices, 5);
    const p = softmax(values);
    for (let i = 0; i < 5; i++) expect(Math.abs(freq[i] - p[i])).toBeLessThan(0.015);
  });

  it('temperature scales the logits (T = 2 matches softmax(logits / 2))', () => {
    const values = [1.2, 0.3, -0.5, 2, 0];
    const choices = draw(new TokenSampler({ temperature: 2, seed: 99 }), Float32Array.from(values), 20_000);
    const freq = frequencies(choices, 5);
    const p = softmax(values, 2);
    for (let i = 0; i < 5; i++) expect(Math.abs(freq[i] - p[i])).toBeLessThan(0.015);
  });

  it('a token far below the best (negligible mass) is never sampled', () => {
    const logits = Float32Array.from([0, 0, -1000]);
    const choices = draw(new TokenSampler({ temperature: 1, seed: 5 }), logits, 2000);
    expect(choices).not.toContain(2);
  });
});

describe('validateSamplingOptions', () => {
  const bad: Array<[SamplingOptions, string]> = [
    [{ temperature: -1 }, 'temperature'],
    [{ temperature: Number.NaN }, 'temperature'],
    [{ temperature: Number.POSITIVE_INFINITY }, 'temperature'],
    [{ topK: 1.5 }, 'topK'],
    [{ topK: -1 }, 'topK'],
    [{ topP: 0 }, 'topP'],
    [{ topP: 1.5 }, 'topP'],
    [{ topP: -0.1 }, 'topP'],
    [{ repetitionPenalty: 0 }, 'repetitionPenalty'],
    [{ repetitionPenalty: -1 }, 'repetitionPenalty'],
    [{ seed: 1.5 }, 'seed'],
  ];

  it.each(bad)('%o → INVALID_OPTION naming %s (validate and constructor)', (options, key) => {
    for (const attempt of [() => validateSamplingOptions(options), () => new TokenSampler(options)]) {
      let caught: unknown;
      try {
        attempt();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(NexusError);
      const error = caught as NexusError;
      expect(error.code).toBe('INVALID_OPTION');
      expect(error.details.key).toBe(key);
      expect(error.message).toContain(`[${key}]`);
    }
  });

  it('accepts the edges of the valid ranges', () => {
    expect(() => validateSamplingOptions({})).not.toThrow();
    expect(() => validateSamplingOptions({ temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1, seed: 0 })).not.toThrow();
    expect(() => validateSamplingOptions({ temperature: 5, topK: 50, topP: 1e-9, repetitionPenalty: 0.01, seed: -7 })).not.toThrow();
  });
});
