// The core's greedy answers as the core legs measure them: the model loaded on a given engine, and one answer with its timings.
import { generate } from '../../../runtime/core/generation/generate.js';
import { buildPrompt } from '../../../runtime/core/generation/prompt-builder.js';
import type { LanguageModel } from '../../../runtime/core/model/language-model.js';
import type { ModelDtype } from '../../../runtime/core/model/model-dtype.js';
import type { OrtEngine } from '../../../runtime/core/platform/ort-engine.js';
import { loadModelDirectory } from '../../../runtime/node/load-model-directory.js';
import { sinceProcessStart, type LegOptions, type RunTiming } from '../leg-result.js';
import { benchModelDirectory } from './bench-model.js';

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

export interface CoreUnderTest {
  model: LanguageModel;
  loadMs: number;
  promptIds: number[];
  /** One answer to the bench prompt; the first one in the process records the cold start. */
  answer: () => Promise<RunTiming>;
  /** Process start to the first token of the first answer (0 before it). */
  coldStartMs: () => number;
}

/** The bench model in `dtype` loaded (and timed) on `engine`, with the bench prompt built for it. */
export async function loadCoreUnderTest(engine: OrtEngine, dtype: ModelDtype, options: LegOptions): Promise<CoreUnderTest> {
  const started = performance.now();
  const model = await loadModelDirectory(benchModelDirectory, { dtype, engine });
  const loadMs = performance.now() - started;
  const promptIds = buildPrompt(model.tokenizer, [{ role: 'user', content: options.prompt }], { contextLength: model.contextLength, reserveForAnswer: options.tokens }).ids;
  let coldStartMs = 0;
  return {
    model,
    loadMs,
    promptIds,
    answer: () => coreAnswer(model, promptIds, options.tokens, () => (coldStartMs ||= sinceProcessStart())),
    coldStartMs: () => coldStartMs,
  };
}
