// thresholdForAnswerRate: the highest threshold that still answers the wanted share of known questions.

/** Scores ≥ the returned threshold are answered; at least `answerRate` of `knownScores` are. */
export function thresholdForAnswerRate(knownScores: readonly number[], answerRate: number): number {
  if (knownScores.length === 0) throw new RangeError('no known scores to calibrate on');
  const sorted = [...knownScores].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.floor((1 - answerRate) * sorted.length + 1e-9)));
  return sorted[index];
}

/** The threshold that best separates good from bad answers (Youden's J), for feedback with both kinds. */
export function thresholdBestSeparating(good: readonly number[], bad: readonly number[]): number {
  const candidates = [...new Set([...good, ...bad])].sort((a, b) => a - b);
  let best = candidates[0];
  let bestJ = -Infinity;
  for (const threshold of candidates) {
    const answered = good.filter((score) => score >= threshold).length / good.length;
    const abstained = bad.filter((score) => score < threshold).length / bad.length;
    if (answered + abstained - 1 > bestJ) {
      bestJ = answered + abstained - 1;
      best = threshold;
    }
  }
  return best;
}

/**
 * With both known and unknown scores: the threshold that abstains on as many unknown questions as
 * the target answer rate allows, placed midway (geometrically) in the gap below the strictest
 * allowed threshold, so that new known questions a little less sure than the calibration set still pass.
 */
export function thresholdWithMargin(known: readonly number[], unknown: readonly number[], answerRate: number): number {
  const strictest = thresholdForAnswerRate(known, answerRate);
  const below = unknown.filter((score) => score < strictest);
  if (below.length === 0) return strictest;
  const nearest = Math.max(...below);
  return nearest > 0 ? Math.sqrt(nearest * strictest) : strictest / 2;
}
