// The logits of a real greedy answer, step by step, and how long a decode step took: the input of the bench's CPU-only measurements.
import type { LanguageModel } from '../../../runtime/core/model/language-model.js';

export interface RecordedSteps {
  logitsPerStep: Float32Array[];
  /** Mean wall time of one decode step (the prefill step left out). */
  stepMicros: number;
}

export async function recordGreedySteps(model: LanguageModel, promptIds: number[], tokens: number): Promise<RecordedSteps> {
  const sequence = model.lm.newSequence();
  const logitsPerStep: Float32Array[] = [];
  let input = promptIds;
  let decodeStarted = performance.now();
  for (let i = 0; i < tokens; i++) {
    if (i === 1) decodeStarted = performance.now();
    const logits = (await sequence.step(input)).slice();
    logitsPerStep.push(logits);
    let best = 0;
    for (let v = 1; v < logits.length; v++) if (logits[v] > logits[best]) best = v;
    input = [best];
  }
  const stepMicros = ((performance.now() - decodeStarted) * 1000) / Math.max(1, tokens - 1);
  sequence.dispose();
  return { logitsPerStep, stepMicros };
}
