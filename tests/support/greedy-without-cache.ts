// Test support: greedy decoding that re-runs the whole sequence every step — the reference the KV cache must match.
import type { LanguageModel } from '../../runtime/core/model/language-model.js';
import { argmax } from './argmax.js';

export async function greedyWithoutCache(model: LanguageModel, promptIds: readonly number[], maxTokens: number): Promise<number[]> {
  const ids = [...promptIds];
  const out: number[] = [];
  for (let i = 0; i < maxTokens; i++) {
    const sequence = model.lm.newSequence();
    const logits = await sequence.step(ids);
    sequence.dispose();
    const best = argmax(logits);
    out.push(best);
    ids.push(best);
    if (model.config.eosTokenIds.includes(best)) break;
  }
  return out;
}
