// Tests for GateWatch, confidenceScore and the default gate settings: pending/answer/abstain, short answers, collapse, first-k confidence.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { confidenceScore } from '../../../runtime/core/gate/confidence-score.js';
import { GateWatch } from '../../../runtime/core/gate/gate-watch.js';
import { defaultGateSettings, type GateSettings } from '../../../runtime/core/gate/gate-settings.js';

const settings = (overrides: Partial<GateSettings> = {}): GateSettings => ({ ...defaultGateSettings, k: 3, collapseWindow: 4, ...overrides });
const ln = Math.log;

function feed(watch: GateWatch, probabilities: readonly number[], lastIsLast = false) {
  return probabilities.map((p, i) => watch.observe(ln(p), lastIsLast && i === probabilities.length - 1));
}

describe('confidenceScore', () => {
  it("'min' is the least likely token's probability, 'mean' the geometric mean", () => {
    const lps = [ln(0.9), ln(0.4), ln(0.8)];
    expect(confidenceScore(lps, 'min')).toBeCloseTo(0.4, 12);
    expect(confidenceScore(lps, 'mean')).toBeCloseTo(Math.cbrt(0.9 * 0.4 * 0.8), 12);
    expect(confidenceScore(lps)).toBe(confidenceScore(lps, 'mean'));
  });

  it('is 0 for no tokens and 1 for certain tokens', () => {
    expect(confidenceScore([], 'min')).toBe(0);
    expect(confidenceScore([], 'mean')).toBe(0);
    expect(confidenceScore([0, 0], 'min')).toBe(1);
    expect(confidenceScore([0, 0], 'mean')).toBe(1);
  });

  it("stays in [0, 1] and 'min' ≤ 'mean' (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -50, max: 0, noNaN: true }), { minLength: 1, maxLength: 30 }), (lps) => {
        const min = confidenceScore(lps, 'min');
        const mean = confidenceScore(lps, 'mean');
        expect(min).toBeGreaterThanOrEqual(0);
        expect(mean).toBeLessThanOrEqual(1);
        expect(min).toBeLessThanOrEqual(mean + 1e-12);
      }),
    );
  });
});

describe('defaultGateSettings', () => {
  it('are the documented cautious defaults', () => {
    expect(defaultGateSettings).toEqual({ threshold: 0.5, k: 12, score: 'min', collapseWindow: 8, collapseThreshold: 0.1 });
  });
});

describe('GateWatch', () => {
  it('is pending until k tokens, then decides once', () => {
    const watch = new GateWatch(settings({ k: 4 }));
    expect(feed(watch, [0.9, 0.9, 0.9])).toEqual(['pending', 'pending', 'pending']);
    expect(watch.tokensSeen).toBe(3);
    expect(watch.observe(ln(0.9))).toBe('answer');
    expect(watch.observe(ln(0.9))).toBe('continue');
    expect(watch.tokensSeen).toBe(5);
  });

  it("'min': answers at or above the threshold, abstains just below", () => {
    const probabilities = [0.95, 0.6, 0.99];
    const exact = confidenceScore(probabilities.map(ln), 'min');
    expect(feed(new GateWatch(settings({ score: 'min', threshold: exact })), probabilities).at(-1)).toBe('answer');
    expect(feed(new GateWatch(settings({ score: 'min', threshold: 0.59 })), probabilities).at(-1)).toBe('answer');
    expect(feed(new GateWatch(settings({ score: 'min', threshold: 0.61 })), probabilities).at(-1)).toBe('abstain');
    // The mean (≈ 0.83) would have passed 0.61: 'min' really uses the least likely token.
    expect(confidenceScore(probabilities.map(ln), 'mean')).toBeGreaterThan(0.61);
  });

  it("'mean': answers at or above the geometric mean, abstains just above it", () => {
    const probabilities = [0.95, 0.6, 0.99];
    const mean = Math.cbrt(0.95 * 0.6 * 0.99);
    const exact = confidenceScore(probabilities.map(ln), 'mean');
    expect(exact).toBeCloseTo(mean, 12);
    expect(feed(new GateWatch(settings({ score: 'mean', threshold: exact })), probabilities).at(-1)).toBe('answer');
    expect(feed(new GateWatch(settings({ score: 'mean', threshold: mean - 0.01 })), probabilities).at(-1)).toBe('answer');
    expect(feed(new GateWatch(settings({ score: 'mean', threshold: mean + 0.01 })), probabilities).at(-1)).toBe('abstain');
    // 'min' (0.6) would have abstained at mean − 0.01.
    expect(feed(new GateWatch(settings({ score: 'min', threshold: mean - 0.01 })), probabilities).at(-1)).toBe('abstain');
  });

  it('a short answer decides at isLast, before k tokens', () => {
    const watch = new GateWatch(settings({ k: 12, threshold: 0.5 }));
    expect(watch.observe(ln(0.9))).toBe('pending');
    expect(watch.observe(ln(0.8), true)).toBe('answer');
    expect(watch.confidence).toBeCloseTo(0.8, 12);

    const unsure = new GateWatch(settings({ k: 12, threshold: 0.5 }));
    expect(unsure.observe(ln(0.3), true)).toBe('abstain');
  });

  it('after abstaining, every further token is stop (without counting as a collapse)', () => {
    const watch = new GateWatch(settings({ threshold: 0.99 }));
    expect(feed(watch, [0.9, 0.9, 0.9])).toEqual(['pending', 'pending', 'abstain']);
    expect(watch.observe(ln(0.999))).toBe('stop');
    expect(watch.hasCollapsed).toBe(false);
  });

  it("after 'answer', a run of low-probability tokens collapses the window: stop, hasCollapsed, stays stopped", () => {
    const watch = new GateWatch(settings({ k: 3, threshold: 0.5, collapseWindow: 4, collapseThreshold: 0.1 }));
    expect(feed(watch, [0.99, 0.99, 0.99])).toEqual(['pending', 'pending', 'answer']);
    expect(watch.observe(ln(0.9))).toBe('continue');
    expect(watch.hasCollapsed).toBe(false);
    const verdicts = feed(watch, [0.01, 0.01, 0.01, 0.01]);
    expect(verdicts).toContain('stop');
    const firstStop = verdicts.indexOf('stop');
    expect(verdicts.slice(0, firstStop).every((v) => v === 'continue')).toBe(true);
    expect(watch.hasCollapsed).toBe(true);
    expect(watch.windowConfidence).toBeLessThan(0.1);
    // Once collapsed, it stays stopped even when the model is sure again.
    expect(watch.observe(0)).toBe('stop');
    expect(watch.observe(0)).toBe('stop');
    expect(watch.hasCollapsed).toBe(true);
  });

  it('collapse fires at exactly the token that drags the window mean below the threshold', () => {
    const watch = new GateWatch(settings({ k: 1, threshold: 0.5, collapseWindow: 2, collapseThreshold: 0.1 }));
    expect(watch.observe(0)).toBe('answer');
    // Window [1, 0.02]: geometric mean ≈ 0.141 ≥ 0.1.
    expect(watch.observe(ln(0.02))).toBe('continue');
    // Window [0.02, 0.2]: geometric mean ≈ 0.063 < 0.1.
    expect(watch.observe(ln(0.2))).toBe('stop');
  });

  it('a single unlikely token inside a confident window does not collapse it', () => {
    const watch = new GateWatch(settings({ k: 2, threshold: 0.5, collapseWindow: 8, collapseThreshold: 0.1 }));
    const verdicts = feed(watch, [0.99, 0.99, 0.99, 0.99, 0.05, 0.99, 0.99, 0.99, 0.99]);
    expect(verdicts.slice(2)).toEqual(Array(7).fill('continue'));
    expect(watch.hasCollapsed).toBe(false);
  });

  it('confidence uses only the first k tokens', () => {
    const watch = new GateWatch(settings({ k: 3, score: 'min', threshold: 0.5 }));
    feed(watch, [0.9, 0.8, 0.7]);
    expect(watch.confidence).toBeCloseTo(0.7, 12);
    feed(watch, [0.2, 0.15]); // below the decision's min, but after the first k
    expect(watch.confidence).toBeCloseTo(0.7, 12);
    expect(watch.tokensSeen).toBe(5);
    expect(watch.windowConfidence).toBeCloseTo(Math.pow(0.8 * 0.7 * 0.2 * 0.15, 1 / 4), 12);
  });

  it('windowConfidence is the geometric mean of the last collapseWindow tokens (fewer at the start)', () => {
    const watch = new GateWatch(settings({ collapseWindow: 2 }));
    expect(watch.windowConfidence).toBe(0);
    watch.observe(ln(0.5));
    expect(watch.windowConfidence).toBeCloseTo(0.5, 12);
    watch.observe(ln(0.8));
    watch.observe(ln(0.2));
    expect(watch.windowConfidence).toBeCloseTo(0.4, 12);
  });

  it('property: decides exactly once, at token min(k, length), and the decision matches confidenceScore', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -5, max: 0, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 15 }),
        fc.constantFrom<'min' | 'mean'>('min', 'mean'),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (lps, k, score, threshold) => {
          const watch = new GateWatch(settings({ k, score, threshold }));
          const verdicts = lps.map((lp, i) => watch.observe(lp, i === lps.length - 1));
          const decidedAt = Math.min(k, lps.length) - 1;
          expect(verdicts.slice(0, decidedAt).every((v) => v === 'pending')).toBe(true);
          const expected = confidenceScore(lps.slice(0, k), score) >= threshold ? 'answer' : 'abstain';
          expect(verdicts[decidedAt]).toBe(expected);
          for (const v of verdicts.slice(decidedAt + 1)) expect(['continue', 'stop']).toContain(v);
          if (expected === 'abstain') expect(verdicts.slice(decidedAt + 1).every((v) => v === 'stop')).toBe(true);
          const firstStop = verdicts.indexOf('stop');
          if (firstStop !== -1) expect(verdicts.slice(firstStop).every((v) => v === 'stop')).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
