// The core's own per-token work with the model step taken out: generate() replaying a real answer's recorded logits.
import { generate } from '../../../runtime/core/generation/generate.js';
import type { CausalLM } from '../../../runtime/core/model/causal-lm.js';
import type { LanguageModel } from '../../../runtime/core/model/language-model.js';
import type { RecordedSteps } from './record-greedy-steps.js';

/**
 * Everything generate() does around the model step (gate statistics, sampling, detokenizing, stop
 * matching, events), in µs a token and as a share of the recorded decode step. The paired core/raw
 * ratios carry the VM's ±10 % swings; this is the same overhead measured on the CPU alone.
 */
export async function measureLoopOverhead(model: LanguageModel, promptIds: number[], { logitsPerStep, stepMicros }: RecordedSteps): Promise<{ microsPerToken: number; percent: number }> {
  const replaying = { newSequence: () => replay(logitsPerStep) } as unknown as CausalLM;
  const replayModel: LanguageModel = { ...model, lm: replaying };
  const answer = async () => {
    for await (const event of generate(replayModel, { promptIds, maxTokens: logitsPerStep.length, ignoreEos: true })) if (event.type === 'done') return;
  };
  for (let run = 0; run < 50; run++) await answer();
  const repeats = 200;
  const started = performance.now();
  for (let run = 0; run < repeats; run++) await answer();
  const microsPerToken = ((performance.now() - started) * 1000) / (repeats * logitsPerStep.length);
  return { microsPerToken, percent: (microsPerToken / stepMicros) * 100 };
}

function replay(logitsPerStep: Float32Array[]) {
  let next = 0;
  return { step: async () => logitsPerStep[next++], dispose: () => {} };
}
