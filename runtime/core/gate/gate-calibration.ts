// GateCalibration: the gate's threshold and the evidence behind it; state kept in the checkpoint.
import * as z from 'zod';
import { NexusError } from '../nexus-error.js';
import { auroc } from './auroc.js';
import { defaultGateSettings, type GateSettings } from './gate-settings.js';
import { thresholdBestSeparating, thresholdForAnswerRate, thresholdWithMargin } from './threshold-for-answer-rate.js';

const maxFeedback = 1000;

const sectionSchema = z.object({
  settings: z.object({
    threshold: z.number().min(0).max(1),
    k: z.number().int().min(1),
    score: z.enum(['min', 'mean']),
    collapseWindow: z.number().int().min(1),
    collapseThreshold: z.number().min(0).max(1),
  }),
  targetAnswerRate: z.number().gt(0).max(1),
  source: z.enum(['default', 'registry', 'calibrated', 'feedback']),
  calibratedAt: z.string().optional(),
  report: z
    .object({ knownSamples: z.number(), unknownSamples: z.number(), answerRate: z.number(), abstainRate: z.number().nullable(), auroc: z.number().nullable() })
    .optional(),
  feedback: z.array(z.object({ score: z.number().min(0).max(1), good: z.boolean() })).max(maxFeedback),
});

export type GateCalibrationSection = z.infer<typeof sectionSchema>;

/** What a calibration measured on its own samples. */
export interface CalibrationReport {
  knownSamples: number;
  unknownSamples: number;
  /** Share of known questions answered at the chosen threshold. */
  answerRate: number;
  /** Share of unknown questions abstained on (null without unknown samples). */
  abstainRate: number | null;
  auroc: number | null;
}

function measure(threshold: number, known: readonly number[], unknown: readonly number[]): CalibrationReport {
  return {
    knownSamples: known.length,
    unknownSamples: unknown.length,
    answerRate: known.filter((score) => score >= threshold).length / Math.max(1, known.length),
    abstainRate: unknown.length ? unknown.filter((score) => score < threshold).length / unknown.length : null,
    auroc: unknown.length && known.length ? auroc(known, unknown) : null,
  };
}

/** Holds the gate settings in use, calibrates them from labelled scores and from user feedback. */
export class GateCalibration {
  /** An operator's settings over the calibrated ones: in force, never written to the checkpoint. */
  #overrides: Partial<GateSettings> = {};
  private effective: GateSettings | undefined;

  private constructor(private state: GateCalibrationSection) {}

  /** Starts from given settings (a registry entry's, or the cautious defaults). */
  static from(settings: GateSettings = defaultGateSettings, source: 'default' | 'registry' = 'default', targetAnswerRate = 0.95): GateCalibration {
    return new GateCalibration({ settings: { ...settings }, targetAnswerRate, source, feedback: [] });
  }

  /** Restores from a checkpoint section; a malformed one is CHECKPOINT_CORRUPT naming the field. */
  static fromSection(section: unknown): GateCalibration {
    const parsed = sectionSchema.safeParse(section);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new NexusError('CHECKPOINT_CORRUPT', { reason: `gate section [${issue.path.join('.')}] ${issue.message}` });
    }
    return new GateCalibration(parsed.data);
  }

  toSection(): GateCalibrationSection {
    return structuredClone(this.state);
  }

  /** The settings in force: the calibrated ones under any overrides. */
  get settings(): GateSettings {
    return (this.effective ??= { ...this.state.settings, ...this.#overrides });
  }

  /** Where the threshold in force comes from: `config` while an override sets it. */
  get source(): GateCalibrationSection['source'] | 'config' {
    return this.#overrides.threshold === undefined ? this.state.source : 'config';
  }

  /** The settings put over the calibrated ones (setOverrides). */
  get overrides(): Partial<GateSettings> {
    return { ...this.#overrides };
  }

  /**
   * Puts `overrides` over the calibrated settings, replacing earlier ones (`{}` removes them). The
   * checkpoint section keeps the calibrated settings, so an override removed is gone after a restart.
   */
  setOverrides(overrides: Partial<GateSettings>): void {
    this.#overrides = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
    this.effective = undefined;
  }

  get report(): CalibrationReport | undefined {
    return this.state.report;
  }

  /**
   * Chooses the threshold from confidence scores of questions the model knows and of ones it does
   * not: at least `targetAnswerRate` of known ones pass, and it sits in the gap below them.
   */
  calibrate(known: readonly number[], unknown: readonly number[] = [], targetAnswerRate = this.state.targetAnswerRate, at = new Date().toISOString()): CalibrationReport {
    if (known.length === 0) throw new NexusError('INVALID_OPTION', { key: 'known', reason: 'calibration needs at least one known example' });
    const threshold = thresholdWithMargin(known, unknown, targetAnswerRate);
    const report = measure(threshold, known, unknown);
    this.state = { ...this.state, settings: { ...this.state.settings, threshold }, targetAnswerRate, source: 'calibrated', calibratedAt: at, report };
    this.effective = undefined;
    return report;
  }

  /** Records whether an answer with this confidence was good (kept, bounded, oldest out). */
  addFeedback(score: number, good: boolean): void {
    this.state.feedback.push({ score: Math.min(1, Math.max(0, score)), good });
    if (this.state.feedback.length > maxFeedback) this.state.feedback.splice(0, this.state.feedback.length - maxFeedback);
  }

  get feedbackCount(): number {
    return this.state.feedback.length;
  }

  /** Re-derives the threshold from the feedback kept so far. */
  recalibrateFromFeedback(at = new Date().toISOString()): CalibrationReport {
    const good = this.state.feedback.filter((entry) => entry.good).map((entry) => entry.score);
    const bad = this.state.feedback.filter((entry) => !entry.good).map((entry) => entry.score);
    if (good.length === 0) throw new NexusError('INVALID_OPTION', { key: 'feedback', reason: 'recalibration needs feedback on at least one good answer' });
    const threshold = bad.length > 0 ? thresholdBestSeparating(good, bad) : thresholdForAnswerRate(good, this.state.targetAnswerRate);
    const report = measure(threshold, good, bad);
    this.state = { ...this.state, settings: { ...this.state.settings, threshold }, source: 'feedback', calibratedAt: at, report };
    this.effective = undefined;
    return report;
  }
}
