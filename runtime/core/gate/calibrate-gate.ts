// calibrateGate: measures confidence on labelled questions and sets the gate's threshold from them.
import type { LanguageModel } from '../model/language-model.js';
import type { CalibrationReport, GateCalibration } from './gate-calibration.js';
import { measureConfidence } from './measure-confidence.js';

export interface LabelledQuestions {
  /** Questions the model should answer. */
  known: readonly string[];
  /** Questions it should abstain on. */
  unknown: readonly string[];
}

/** Scores every question (k greedy tokens each), then calibrates; progress is reported per question. */
export async function calibrateGate(
  model: LanguageModel,
  calibration: GateCalibration,
  questions: LabelledQuestions,
  options: { targetAnswerRate?: number; onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<CalibrationReport & { knownScores: number[]; unknownScores: number[] }> {
  const total = questions.known.length + questions.unknown.length;
  let done = 0;
  const score = async (list: readonly string[]): Promise<number[]> => {
    const scores: number[] = [];
    for (const question of list) {
      options.signal?.throwIfAborted();
      scores.push(await measureConfidence(model, [{ role: 'user', content: question }], calibration.settings));
      options.onProgress?.(++done, total);
    }
    return scores;
  };
  const knownScores = await score(questions.known);
  const unknownScores = await score(questions.unknown);
  const report = calibration.calibrate(knownScores, unknownScores, options.targetAnswerRate);
  return { ...report, knownScores, unknownScores };
}
