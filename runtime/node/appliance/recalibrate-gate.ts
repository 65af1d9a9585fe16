// recalibrateGate: the control action that re-derives the gate threshold, from the model's eval sets or from feedback.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { definitionQuestion, parseWordEvalSet } from '../../core/eval/word-eval-set.js';
import { calibrateGate } from '../../core/gate/calibrate-gate.js';
import type { CalibrationReport } from '../../core/gate/gate-calibration.js';
import { resolveModelDirectory } from '../resolve-model-directory.js';
import type { Daemon } from './daemon.js';
import { modelsDirectoryOf } from './models-directory.js';

/** The calibration report and what it was computed from. */
export type GateRecalibration = CalibrationReport & { from: 'eval' | 'feedback'; threshold: number };

/**
 * Uses `<model dir>/eval/known.jsonl` and `nonsense.jsonl` when both exist (holding a generation
 * slot while it scores them), otherwise the user feedback kept by the gate calibration.
 */
export async function recalibrateGate(daemon: Daemon): Promise<GateRecalibration> {
  const assistant = daemon.ready();
  const resolved = await resolveModelDirectory(daemon.config.model, modelsDirectoryOf(daemon.config)).catch(() => undefined);
  const evalDir = resolved ? join(resolved.directory, 'eval') : undefined;
  if (evalDir && existsSync(join(evalDir, 'known.jsonl')) && existsSync(join(evalDir, 'nonsense.jsonl'))) {
    const questions = async (file: string) => parseWordEvalSet(await readFile(join(evalDir, file), 'utf8')).map((entry) => definitionQuestion(entry.word));
    const known = await questions('known.jsonl');
    const unknown = await questions('nonsense.jsonl');
    const release = await daemon.queue.acquire();
    try {
      const { knownScores, unknownScores, ...report } = await calibrateGate(assistant.model, assistant.calibration, { known, unknown });
      const threshold = assistant.calibration.settings.threshold;
      daemon.logger.log('info', 'gate.recalibrated', { from: 'eval', threshold, known: knownScores.length, unknown: unknownScores.length });
      return { ...report, from: 'eval', threshold };
    } finally {
      release();
    }
  }
  const report = assistant.calibration.recalibrateFromFeedback();
  const threshold = assistant.calibration.settings.threshold;
  daemon.logger.log('info', 'gate.recalibrated', { from: 'feedback', threshold });
  return { ...report, from: 'feedback', threshold };
}
