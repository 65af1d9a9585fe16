// Tests for summarizeLogits/tokenStats: probabilities, entropy, margin and normalizer against a naive softmax reference.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarizeLogits, summarizeLogitsInJs, tokenStats } from '../../../runtime/core/generation/token-stats.js';
import { naiveSoftmax as reference } from '../../support/naive-softmax.js';

const logitsArb = fc
  .array(fc.float({ min: -30, max: 30, noNaN: true, noDefaultInfinity: true }), { minLength: 2, maxLength: 500 })
  .map((values) => Float32Array.from(values));

// Seven digits: the logits are float32 (~6e-8 relative), and the normalizer uses softmaxExp (1e-10).
describe('summarizeLogits', () => {
  // The JS loop; the WASM kernel that takes vectors of 256 and more has its own test.
  it('matches a naive softmax on random logits (the JS loop)', () => {
    fc.assert(
      fc.property(logitsArb, (logits) => {
        const summary = summarizeLogitsInJs(logits);
        const ref = reference(logits);
        expect(summary.top1Id).toBe(ref.top1Id);
        expect(summary.logNormalizer).toBeCloseTo(ref.logNormalizer, 7);
        expect(summary.entropy).toBeCloseTo(ref.entropy, 7);
        expect(summary.margin).toBeCloseTo(ref.margin, 7);
        expect(summary.entropy).toBeGreaterThanOrEqual(-1e-12);
        expect(summary.entropy).toBeLessThanOrEqual(Math.log(logits.length) + 1e-9);
        expect(summary.margin).toBeGreaterThanOrEqual(0);
        expect(summary.margin).toBeLessThanOrEqual(1);
        let total = 0;
        for (let id = 0; id < logits.length; id++) {
          const stats = tokenStats(logits, summary, id);
          expect(stats.probability).toBeCloseTo(ref.probabilities[id], 7);
          total += stats.probability;
        }
        expect(total).toBeCloseTo(1, 7);
      }),
      { numRuns: 150 },
    );
  });

  it('handles ties: first index wins, margin 0', () => {
    const summary = summarizeLogits(Float32Array.from([1, 5, 2, 5, 0]));
    expect(summary.top1Id).toBe(1);
    expect(summary.margin).toBe(0);
    const ref = reference(Float32Array.from([1, 5, 2, 5, 0]));
    expect(summary.entropy).toBeCloseTo(ref.entropy, 7);
    expect(summary.logNormalizer).toBeCloseTo(ref.logNormalizer, 7);
  });

  it('handles a tie at the very first position and a later top token', () => {
    const summary = summarizeLogits(Float32Array.from([3, 3, 7]));
    expect(summary.top1Id).toBe(2);
    expect(summary.margin).toBeCloseTo(reference(Float32Array.from([3, 3, 7])).margin, 7);
  });

  it('one-hot-ish distribution: probability ~1, entropy ~0, margin ~1', () => {
    const logits = new Float32Array(1000).fill(-50);
    logits[417] = 50;
    const summary = summarizeLogits(logits);
    expect(summary.top1Id).toBe(417);
    expect(summary.entropy).toBeLessThan(1e-30);
    expect(summary.entropy).toBeGreaterThanOrEqual(0);
    expect(summary.margin).toBeCloseTo(1, 7);
    expect(summary.logNormalizer).toBeCloseTo(50, 7);
    const stats = tokenStats(logits, summary, 417);
    expect(stats.probability).toBeCloseTo(1, 7);
    expect(stats.logProbability).toBeCloseTo(0, 7);
  });

  it('uniform distribution: entropy = ln V, margin 0, normalizer = c + ln V', () => {
    for (const size of [2, 7, 4096]) {
      const logits = new Float32Array(size).fill(1.5);
      const summary = summarizeLogits(logits);
      expect(summary.top1Id).toBe(0);
      expect(summary.entropy).toBeCloseTo(Math.log(size), 7);
      expect(summary.margin).toBe(0);
      expect(summary.logNormalizer).toBeCloseTo(1.5 + Math.log(size), 7);
      expect(tokenStats(logits, summary, size - 1).probability).toBeCloseTo(1 / size, 7);
    }
  });

  it('is shift-invariant except for the normalizer', () => {
    const logits = Float32Array.from([0.5, -1, 2, 0]);
    const shifted = logits.map((v) => v + 100);
    const a = summarizeLogits(logits);
    const b = summarizeLogits(shifted);
    expect(b.top1Id).toBe(a.top1Id);
    expect(b.entropy).toBeCloseTo(a.entropy, 5);
    expect(b.margin).toBeCloseTo(a.margin, 5);
    expect(b.logNormalizer - a.logNormalizer).toBeCloseTo(100, 4);
  });

  it('a single logit: probability 1, entropy 0, margin 1', () => {
    const summary = summarizeLogits(Float32Array.from([-3]));
    expect(summary).toEqual({ top1Id: 0, logNormalizer: -3, entropy: 0, margin: 1 });
  });
});

describe('tokenStats', () => {
  it('reports a non-top token with its own probability and the shared entropy/margin', () => {
    const logits = Float32Array.from([2, 1, 0, -1]);
    const summary = summarizeLogits(logits);
    const ref = reference(logits);
    const stats = tokenStats(logits, summary, 2);
    expect(stats.probability).toBeCloseTo(ref.probabilities[2], 7);
    expect(stats.logProbability).toBeCloseTo(Math.log(ref.probabilities[2]), 7);
    expect(stats.entropy).toBe(summary.entropy);
    expect(stats.margin).toBe(summary.margin);
    expect(stats.probability).toBeLessThan(tokenStats(logits, summary, 0).probability);
  });

  it('a very unlikely token has a finite, very negative log-probability', () => {
    const logits = Float32Array.from([40, -40]);
    const stats = tokenStats(logits, summarizeLogits(logits), 1);
    expect(stats.logProbability).toBeCloseTo(-80, 6);
    expect(Number.isFinite(stats.logProbability)).toBe(true);
  });
});
