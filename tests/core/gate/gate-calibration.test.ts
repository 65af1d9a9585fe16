// Tests for GateCalibration, thresholdForAnswerRate/thresholdWithMargin/thresholdBestSeparating and auroc.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auroc } from '../../../runtime/core/gate/auroc.js';
import { GateCalibration } from '../../../runtime/core/gate/gate-calibration.js';
import { defaultGateSettings } from '../../../runtime/core/gate/gate-settings.js';
import { thresholdBestSeparating, thresholdForAnswerRate, thresholdWithMargin } from '../../../runtime/core/gate/threshold-for-answer-rate.js';
import { caught } from '../../support/caught-nexus-error.js';

/** Brute force: P(positive > negative) + ½ P(tie) over every pair. */
function pairwiseAuroc(positives: readonly number[], negatives: readonly number[]): number {
  let wins = 0;
  for (const p of positives) for (const n of negatives) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (positives.length * negatives.length);
}


const answeredShare = (scores: readonly number[], threshold: number) => scores.filter((s) => s >= threshold).length / scores.length;
// Coarse scores so that ties are common.
const scoreArb = fc.integer({ min: 0, max: 20 }).map((i) => i / 20);
const scoresArb = fc.array(scoreArb, { minLength: 1, maxLength: 40 });

describe('auroc', () => {
  it('matches a brute-force pairwise reference (ties count half)', () => {
    fc.assert(
      fc.property(scoresArb, scoresArb, (positives, negatives) => {
        expect(auroc(positives, negatives)).toBeCloseTo(pairwiseAuroc(positives, negatives), 12);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 50 }),
        (positives, negatives) => {
          expect(auroc(positives, negatives)).toBeCloseTo(pairwiseAuroc(positives, negatives), 12);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is 1 for separated scores, 0 for reversed, 0.5 for identical', () => {
    expect(auroc([0.8, 0.9, 0.95], [0.1, 0.2, 0.7])).toBe(1);
    expect(auroc([0.1, 0.2], [0.8, 0.9, 0.95])).toBe(0);
    expect(auroc([0.5, 0.5, 0.5], [0.5, 0.5])).toBe(0.5);
    expect(auroc([0.3, 0.6], [0.3, 0.6])).toBe(0.5);
  });

  it('counts ties as half', () => {
    expect(auroc([0.5], [0.5, 0.4])).toBe(0.75);
    expect(auroc([0.5, 0.9], [0.5])).toBe(0.75);
  });

  it('is NaN without positives or negatives', () => {
    expect(auroc([], [0.5])).toBeNaN();
    expect(auroc([0.5], [])).toBeNaN();
  });
});

describe('thresholdForAnswerRate', () => {
  it('answers at least the wanted share, and is the highest threshold that does (property)', () => {
    fc.assert(
      fc.property(scoresArb, fc.double({ min: 0.01, max: 1, noNaN: true }), (known, rate) => {
        const threshold = thresholdForAnswerRate(known, rate);
        expect(known).toContain(threshold);
        expect(answeredShare(known, threshold)).toBeGreaterThanOrEqual(rate - 1e-9);
        const higher = known.filter((s) => s > threshold);
        if (higher.length) expect(answeredShare(known, Math.min(...higher))).toBeLessThan(rate + 1e-9);
      }),
      { numRuns: 500 },
    );
  });

  it('answers exactly the wanted share when it is a whole number of samples (no floating-point off-by-one)', () => {
    expect(thresholdForAnswerRate([0.9, 0.6, 0.8, 0.7, 0.95], 0.8)).toBe(0.7);
    const ten = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
    expect(thresholdForAnswerRate(ten, 0.9)).toBe(0.2);
    expect(thresholdForAnswerRate(ten, 0.7)).toBe(0.4);
    expect(thresholdForAnswerRate(ten, 0.5)).toBe(0.6);
    const hundred = Array.from({ length: 100 }, (_, i) => (i + 1) / 100);
    expect(thresholdForAnswerRate(hundred, 0.97)).toBe(0.04);
    expect(thresholdForAnswerRate(hundred, 0.95)).toBe(0.06);
  });

  it('rate 1 → the lowest score; a tiny rate → the highest', () => {
    expect(thresholdForAnswerRate([0.4, 0.2, 0.9], 1)).toBe(0.2);
    expect(thresholdForAnswerRate([0.4, 0.2, 0.9], 0.01)).toBe(0.9);
  });

  it('throws without known scores', () => {
    expect(() => thresholdForAnswerRate([], 0.9)).toThrow(RangeError);
  });
});

describe('thresholdWithMargin', () => {
  it('without unknown scores below the strictest threshold, is the strictest threshold', () => {
    const known = [0.6, 0.7, 0.8, 0.9, 0.95];
    expect(thresholdWithMargin(known, [], 0.8)).toBe(0.7);
    expect(thresholdWithMargin(known, [0.7, 0.99], 0.8)).toBe(0.7);
  });

  it('sits (geometrically) between the nearest unknown score below and the strictest threshold', () => {
    const known = [0.6, 0.7, 0.8, 0.9, 0.95];
    const threshold = thresholdWithMargin(known, [0.1, 0.5, 0.9], 0.8);
    expect(threshold).toBeCloseTo(Math.sqrt(0.5 * 0.7), 12);
    expect(threshold).toBeGreaterThan(0.5);
    expect(threshold).toBeLessThan(0.7);
  });

  it('halves the strictest threshold when the nearest unknown score is 0', () => {
    expect(thresholdWithMargin([0.6, 0.8], [0], 1)).toBe(0.3);
  });

  it('property: nearest unknown below < threshold ≤ strictest, and the answer rate still holds', () => {
    fc.assert(
      fc.property(scoresArb, fc.array(scoreArb, { maxLength: 40 }), fc.double({ min: 0.01, max: 1, noNaN: true }), (known, unknown, rate) => {
        const strictest = thresholdForAnswerRate(known, rate);
        const threshold = thresholdWithMargin(known, unknown, rate);
        expect(threshold).toBeLessThanOrEqual(strictest);
        const below = unknown.filter((s) => s < strictest);
        if (below.length) {
          expect(threshold).toBeGreaterThanOrEqual(Math.max(...below));
          if (Math.max(...below) > 0) expect(threshold).toBeGreaterThan(Math.max(...below) - 1e-15);
        } else expect(threshold).toBe(strictest);
        expect(answeredShare(known, threshold)).toBeGreaterThanOrEqual(rate - 1e-9);
      }),
      { numRuns: 300 },
    );
  });
});

describe('thresholdBestSeparating', () => {
  it("maximizes Youden's J, keeping the lowest threshold among ties", () => {
    expect(thresholdBestSeparating([0.9, 0.8, 0.7], [0.2, 0.3, 0.75])).toBe(0.7);
    expect(thresholdBestSeparating([0.9, 0.8], [0.1, 0.2])).toBe(0.8);
  });
});

describe('GateCalibration', () => {
  const known = [0.6, 0.7, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99, 0.995, 0.999];
  const unknown = [0.1, 0.3, 0.5, 0.65];

  it('starts from the defaults (copied) or from registry settings', () => {
    const calibration = GateCalibration.from();
    expect(calibration.settings).toEqual(defaultGateSettings);
    expect(calibration.settings).not.toBe(defaultGateSettings);
    expect(calibration.source).toBe('default');
    expect(calibration.report).toBeUndefined();
    expect(calibration.feedbackCount).toBe(0);
    const registry = GateCalibration.from({ ...defaultGateSettings, threshold: 0.99 }, 'registry', 0.97);
    expect(registry.source).toBe('registry');
    expect(registry.settings.threshold).toBe(0.99);
    expect(registry.toSection().targetAnswerRate).toBe(0.97);
  });

  it('calibrate() sets the threshold in the gap and reports answer rate, abstain rate and AUROC', () => {
    const calibration = GateCalibration.from();
    const report = calibration.calibrate(known, unknown, 0.9, '2025-01-01T00:00:00.000Z');
    const threshold = Math.sqrt(0.65 * 0.7);
    expect(calibration.settings.threshold).toBeCloseTo(threshold, 12);
    expect(report).toEqual({ knownSamples: 10, unknownSamples: 4, answerRate: 0.9, abstainRate: 1, auroc: 39 / 40 });
    expect(calibration.report).toEqual(report);
    expect(calibration.source).toBe('calibrated');
    const section = calibration.toSection();
    expect(section.calibratedAt).toBe('2025-01-01T00:00:00.000Z');
    expect(section.targetAnswerRate).toBe(0.9);
    // Other settings are kept.
    expect({ ...calibration.settings, threshold: 0 }).toEqual({ ...defaultGateSettings, threshold: 0 });
  });

  it('calibrate() with known scores only: null abstain rate and AUROC, default target rate', () => {
    const calibration = GateCalibration.from(defaultGateSettings, 'default', 0.8);
    const report = calibration.calibrate([0.9, 0.6, 0.8, 0.7, 0.95]);
    expect(calibration.settings.threshold).toBe(0.7);
    expect(report).toEqual({ knownSamples: 5, unknownSamples: 0, answerRate: 0.8, abstainRate: null, auroc: null });
    expect(Number.isNaN(Date.parse(calibration.toSection().calibratedAt ?? ''))).toBe(false);
  });

  it('calibrate() without known scores is INVALID_OPTION naming known', () => {
    const error = caught(() => GateCalibration.from().calibrate([], [0.1]));
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.details.key).toBe('known');
  });

  it('addFeedback clamps scores to [0, 1] and keeps at most the newest 1000', () => {
    const calibration = GateCalibration.from();
    calibration.addFeedback(1.5, true);
    calibration.addFeedback(-0.2, false);
    expect(calibration.toSection().feedback).toEqual([
      { score: 1, good: true },
      { score: 0, good: false },
    ]);
    for (let i = 0; i < 1003; i++) calibration.addFeedback((i % 100) / 100, i % 2 === 0);
    expect(calibration.feedbackCount).toBe(1000);
    const feedback = calibration.toSection().feedback;
    expect(feedback).toHaveLength(1000);
    // 1005 added, the 5 oldest dropped: the first kept is the loop's i = 3.
    expect(feedback[0]).toEqual({ score: 0.03, good: false });
    expect(feedback.at(-1)).toEqual({ score: 0.02, good: true });
  });

  it('recalibrateFromFeedback with only good answers uses the target answer rate', () => {
    const calibration = GateCalibration.from(defaultGateSettings, 'default', 0.95);
    for (let i = 1; i <= 20; i++) calibration.addFeedback(i / 20, true);
    const report = calibration.recalibrateFromFeedback('2025-02-02T00:00:00.000Z');
    expect(calibration.settings.threshold).toBe(0.1);
    expect(report).toEqual({ knownSamples: 20, unknownSamples: 0, answerRate: 0.95, abstainRate: null, auroc: null });
    expect(calibration.source).toBe('feedback');
    expect(calibration.toSection().calibratedAt).toBe('2025-02-02T00:00:00.000Z');
  });

  it("recalibrateFromFeedback with good and bad answers uses Youden's J", () => {
    const calibration = GateCalibration.from();
    for (const score of [0.9, 0.8, 0.7]) calibration.addFeedback(score, true);
    for (const score of [0.2, 0.3, 0.75]) calibration.addFeedback(score, false);
    const report = calibration.recalibrateFromFeedback();
    expect(calibration.settings.threshold).toBe(0.7);
    expect(report.knownSamples).toBe(3);
    expect(report.unknownSamples).toBe(3);
    expect(report.answerRate).toBe(1);
    expect(report.abstainRate).toBeCloseTo(2 / 3, 12);
    expect(report.auroc).toBeCloseTo(8 / 9, 12);
    expect(calibration.feedbackCount).toBe(6);
  });

  it('recalibrateFromFeedback without any good answer is INVALID_OPTION naming feedback', () => {
    const calibration = GateCalibration.from();
    expect(caught(() => calibration.recalibrateFromFeedback()).details.key).toBe('feedback');
    calibration.addFeedback(0.4, false);
    const error = caught(() => calibration.recalibrateFromFeedback());
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.details.key).toBe('feedback');
    expect(calibration.source).toBe('default');
  });

  it('toSection/fromSection round-trip, and toSection is a copy', () => {
    const calibration = GateCalibration.from();
    calibration.calibrate(known, unknown, 0.9, '2025-01-01T00:00:00.000Z');
    calibration.addFeedback(0.8, true);
    calibration.addFeedback(0.2, false);
    const section = calibration.toSection();
    const restored = GateCalibration.fromSection(JSON.parse(JSON.stringify(section)));
    expect(restored.toSection()).toEqual(section);
    expect(restored.settings).toEqual(calibration.settings);
    expect(restored.report).toEqual(calibration.report);
    expect(restored.source).toBe('calibrated');
    expect(restored.feedbackCount).toBe(2);
    section.settings.threshold = 0.01;
    section.feedback.push({ score: 1, good: true });
    expect(calibration.settings.threshold).not.toBe(0.01);
    expect(calibration.feedbackCount).toBe(2);
  });

  it('a fresh section (no report, no calibratedAt) round-trips too', () => {
    const section = GateCalibration.from().toSection();
    expect(GateCalibration.fromSection(section).toSection()).toEqual(section);
  });

  const valid = () => GateCalibration.from().toSection() as unknown as Record<string, any>;
  it.each<[string, (s: Record<string, any>) => unknown, string]>([
    ['threshold above 1', (s) => ({ ...s, settings: { ...s.settings, threshold: 2 } }), 'settings.threshold'],
    ['k = 0', (s) => ({ ...s, settings: { ...s.settings, k: 0 } }), 'settings.k'],
    ['unknown score kind', (s) => ({ ...s, settings: { ...s.settings, score: 'max' } }), 'settings.score'],
    ['missing source', ({ source: _drop, ...s }) => s, 'source'],
    ['bad source', (s) => ({ ...s, source: 'guess' }), 'source'],
    ['target rate 0', (s) => ({ ...s, targetAnswerRate: 0 }), 'targetAnswerRate'],
    ['feedback score out of range', (s) => ({ ...s, feedback: [{ score: 1.5, good: true }] }), 'feedback.0.score'],
    ['too much feedback', (s) => ({ ...s, feedback: Array.from({ length: 1001 }, () => ({ score: 0.5, good: true })) }), 'feedback'],
    ['report not an object', (s) => ({ ...s, report: 'x' }), 'report'],
  ])('a malformed section (%s) is CHECKPOINT_CORRUPT naming the field', (_name, mutate, field) => {
    const error = caught(() => GateCalibration.fromSection(mutate(valid())));
    expect(error.code).toBe('CHECKPOINT_CORRUPT');
    expect(error.message).toContain(`[${field}]`);
  });

  it.each([null, 'gate', 42, []])('a non-object section (%o) is CHECKPOINT_CORRUPT', (value) => {
    expect(caught(() => GateCalibration.fromSection(value)).code).toBe('CHECKPOINT_CORRUPT');
  });
});
