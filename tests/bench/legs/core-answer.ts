// One greedy answer of the core (generate) with the timings it reports, as the core legs measure it.
import { generate } from '../../../runtime/core/generation/generate.js';
import type { LanguageModel } from '../../../runtime/core/model/language-model.js';
import type { RunTiming } from '../leg-result.js';

/** Generates `tokens` tokens (EOS ignored) after `promptIds`; `onFirstToken` fires at the first token event. */
export async function coreAnswer(model: LanguageModel, promptIds: number[], tokens: number, onFirstToken?: () => void): Promise<RunTiming> {
  for await (const event of generate(model, { promptIds, maxTokens: tokens, ignoreEos: true })) {
    if (event.type === 'token' && event.index === 0) onFirstToken?.();
    if (event.type !== 'done') continue;
    const { timings: t, completionTokens } = event.result;
    return { ttftMs: t.ttftMs, prefillMs: t.prefillMs, decodeMs: t.decodeMs, promptTokens: promptIds.length, newTokens: completionTokens };
  }
  throw new Error('generate ended without a done event');
}
