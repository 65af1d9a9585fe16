// TokenStats: how sure the model was of a token: its probability, the entropy, the top-1/top-2 margin.
import { logitSummaryKernel } from './logit-summary-kernel.js';
import { summaryFromSums, type LogitSummary } from './logit-summary.js';
import { softmaxExp, softmaxExpFloor } from './softmax-exp.js';

export type { LogitSummary } from './logit-summary.js';

export interface TokenStats {
  probability: number;
  logProbability: number;
  entropy: number;
  margin: number;
}

/** Below this many logits the JS loop is done before the kernel's copy-in is. */
export const kernelMinimumLogits = 256;

/**
 * The gate's statistics for one step's logits: the WASM SIMD kernel where it runs (every current
 * browser and Node), the JS loop otherwise and for short vectors. The two agree to ~4e-8 (float32).
 */
export function summarizeLogits(logits: Float32Array): LogitSummary {
  const kernel = logits.length >= kernelMinimumLogits ? logitSummaryKernel() : undefined;
  return kernel ? kernel.summarize(logits) : summarizeLogitsInJs(logits);
}

/** Below softmaxExp's floor, where its e^x is exactly 0. */
const zeroTermX = softmaxExpFloor - 1;

/**
 * Two passes over the logits (max and top-2, then the normalizer and entropy), no allocation,
 * no sort. x is floored where e^x is already 0, so a −Infinity logit adds 0 rather than NaN.
 */
export function summarizeLogitsInJs(logits: Float32Array): LogitSummary {
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
    const even = Math.max(logits[i] - top1, zeroTermX);
    const odd = Math.max(logits[i + 1] - top1, zeroTermX);
    const eEven = softmaxExp(even);
    const eOdd = softmaxExp(odd);
    sumEven += eEven;
    sumOdd += eOdd;
    weightedEven += eEven * even;
    weightedOdd += eOdd * odd;
  }
  if (paired < logits.length) {
    const last = Math.max(logits[paired] - top1, zeroTermX);
    const e = softmaxExp(last);
    sumEven += e;
    weightedEven += e * last;
  }
  return summaryFromSums({ top1Id, top1, top2, expSum: sumEven + sumOdd, weightedSum: weightedEven + weightedOdd });
}

/** Stats of the token actually chosen (which may differ from the top-1 when sampling). */
export function tokenStats(logits: Float32Array, summary: LogitSummary, chosenId: number): TokenStats {
  const logProbability = logits[chosenId] - summary.logNormalizer;
  return { probability: Math.exp(logProbability), logProbability, entropy: summary.entropy, margin: summary.margin };
}
