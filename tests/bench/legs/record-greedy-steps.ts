// The logits of a real greedy answer, step by step, and how long a decode step took: the input of the bench's CPU-only measurements.
import type { LanguageModel } from '../../../runtime/core/model/language-model.js';
import { argmax } from '../../support/argmax.js';

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
    input = [argmax(logits)];
  }
  const stepMicros = ((performance.now() - decodeStarted) * 1000) / Math.max(1, tokens - 1);
  sequence.dispose();
  return { logitsPerStep, stepMicros };
}
