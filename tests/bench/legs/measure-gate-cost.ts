// Gate bookkeeping cost: per-token stats and the gate's watch, timed on real logits against the decode step.
import type { LanguageModel } from '../../../runtime/core/model/language-model.js';
import { summarizeLogits, tokenStats } from '../../../runtime/core/generation/token-stats.js';
import { GateWatch } from '../../../runtime/core/gate/gate-watch.js';
import { defaultGateSettings } from '../../../runtime/core/gate/gate-settings.js';

/** Percent of a decode step spent on the gate's per-token work (stats + watch), measured on this model's logits. */
export async function measureGateCost(model: LanguageModel, promptIds: number[], tokens: number): Promise<{ gateMicrosPerToken: number; stepMicros: number; percent: number }> {
  const sequence = model.lm.newSequence();
  const logitsPerStep: Float32Array[] = [];
  let input = promptIds;
  const stepStarted = performance.now();
  for (let i = 0; i < tokens; i++) {
    const logits = await sequence.step(input);
    logitsPerStep.push(logits);
    let best = 0;
    for (let v = 1; v < logits.length; v++) if (logits[v] > logits[best]) best = v;
    input = [best];
  }
  const stepMicros = ((performance.now() - stepStarted) * 1000) / tokens;
  sequence.dispose();

  const repeats = 50;
  const started = performance.now();
  for (let r = 0; r < repeats; r++) {
    const watch = new GateWatch(defaultGateSettings);
    for (const logits of logitsPerStep) {
      const summary = summarizeLogits(logits);
      watch.observe(tokenStats(logits, summary, summary.top1Id).logProbability);
    }
  }
  const gateMicrosPerToken = ((performance.now() - started) * 1000) / (repeats * logitsPerStep.length);
  return { gateMicrosPerToken, stepMicros, percent: (gateMicrosPerToken / stepMicros) * 100 };
}
