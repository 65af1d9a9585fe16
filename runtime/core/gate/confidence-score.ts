// confidenceScore: one number in [0, 1] for how sure the model is of an answer's tokens.
import type { ConfidenceScoreKind } from './gate-settings.js';

/** The least likely token's probability ('min') or the geometric-mean probability ('mean'); 0 for no tokens. */
export function confidenceScore(logProbabilities: readonly number[], kind: ConfidenceScoreKind = 'mean'): number {
  if (logProbabilities.length === 0) return 0;
  if (kind === 'min') {
    let min = 0;
    for (const value of logProbabilities) if (value < min) min = value;
    return Math.exp(min);
  }
  let sum = 0;
  for (const value of logProbabilities) sum += value;
  return Math.exp(sum / logProbabilities.length);
}
