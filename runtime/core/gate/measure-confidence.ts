// measureConfidence: the gate's confidence score for a question, from the first k greedy answer tokens.
import type { LanguageModel } from '../model/language-model.js';
import { generate } from '../generation/generate.js';
import { buildPrompt } from '../generation/prompt-builder.js';
import type { ChatMessage } from '../tokenizer/chat-message.js';
import { confidenceScore } from './confidence-score.js';
import type { GateSettings } from './gate-settings.js';

/** Generates at most k greedy tokens and scores them as the gate would (used for calibration). */
export async function measureConfidence(model: LanguageModel, messages: readonly ChatMessage[], settings: Pick<GateSettings, 'k' | 'score'>): Promise<number> {
  const { k } = settings;
  const prompt = buildPrompt(model.tokenizer, messages, { contextLength: model.contextLength, reserveForAnswer: k });
  const logProbabilities: number[] = [];
  for await (const event of generate(model, { promptIds: prompt.ids, maxTokens: k })) {
    if (event.type === 'token') logProbabilities.push(event.logProbability);
  }
  return confidenceScore(logProbabilities, settings.score);
}
