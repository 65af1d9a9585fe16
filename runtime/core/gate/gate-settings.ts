// GateSettings: the uncertainty gate's thresholds, and their defaults for a model without calibration.

/** How token log-probabilities become one confidence: the least likely token, or the geometric mean. */
export type ConfidenceScoreKind = 'min' | 'mean';

export interface GateSettings {
  /** Answers whose confidence (over the first k tokens) is below this abstain. */
  threshold: number;
  /** Answer tokens looked at before deciding to stream. */
  k: number;
  score: ConfidenceScoreKind;
  /** Tokens in the sliding window watched after the decision. */
  collapseWindow: number;
  /** An answer whose window confidence (geometric mean) falls below this is stopped (flagged "stopped"). */
  collapseThreshold: number;
}

/**
 * Used until a model is calibrated. The least likely of the first 12 tokens is the default score:
 * the first tokens of an answer often repeat the question (near-certain even when the model does
 * not know), and one unsure token is the signal.
 */
export const defaultGateSettings: GateSettings = { threshold: 0.5, k: 12, score: 'min', collapseWindow: 8, collapseThreshold: 0.1 };
