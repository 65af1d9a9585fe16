// Gate bookkeeping cost: per-token stats and the gate's watch, timed on real logits against the decode step.
import { summarizeLogits, tokenStats } from '../../../runtime/core/generation/token-stats.js';
import { GateWatch } from '../../../runtime/core/gate/gate-watch.js';
import { defaultGateSettings } from '../../../runtime/core/gate/gate-settings.js';
import type { RecordedSteps } from './record-greedy-steps.js';

/** Percent of a decode step spent on the gate's per-token work (stats + watch), measured on this model's logits. */
export function measureGateCost({ logitsPerStep, stepMicros }: RecordedSteps): { gateMicrosPerToken: number; stepMicros: number; percent: number } {
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
