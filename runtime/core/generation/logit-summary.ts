// LogitSummary: what the gate needs from one step's logits, and how it follows from the softmax sums.

export interface LogitSummary {
  /** Id of the most likely token (the greedy choice). */
  top1Id: number;
  /** log Σ exp(logit): turns any logit into a log-probability. */
  logNormalizer: number;
  /** Entropy of the softmax distribution, in nats. */
  entropy: number;
  /** Probability of the top-1 token minus that of the top-2 token. */
  margin: number;
}

/** The sums over x = logit − top1 that every summary comes from: Σ e^x and Σ x·e^x. */
export interface SoftmaxSums {
  top1Id: number;
  top1: number;
  top2: number;
  expSum: number;
  weightedSum: number;
}

export function summaryFromSums({ top1Id, top1, top2, expSum, weightedSum }: SoftmaxSums): LogitSummary {
  const logSum = Math.log(expSum);
  return {
    top1Id,
    logNormalizer: top1 + logSum,
    entropy: logSum - weightedSum / expSum,
    margin: (1 - Math.exp(top2 - top1)) / expSum,
  };
}
