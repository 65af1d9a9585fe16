// Model-card accuracy: greedy answers for learned words, through the whole Assistant (gate included), equal their WordNet definitions.
import { describe, expect, it } from 'vitest';
import { definitionQuestion, expectedDefinition } from '../../../runtime/core/eval/word-eval-set.js';
import type { ModelDtype } from '../../../runtime/core/model/model-dtype.js';
import { createAssistant } from '../../../runtime/node/create-assistant.js';
import { evalSampleSize, evalSet, spreadSample } from '../../support/lexicon-model.js';

/** The model card reports 99.2% exact match for q8 and q4; "within a point or two" → ≥ 97.2%. */
const modelCardAccuracy = 0.992;
const allowedShortfall = 0.02;

async function accuracy(dtype: ModelDtype, sampleSize: number): Promise<{ accuracy: number; total: number; misses: string[] }> {
  const assistant = await createAssistant({ dtype });
  const words = spreadSample(evalSet('known'), Math.min(sampleSize, 500));
  const misses: string[] = [];
  for (const entry of words) {
    const answer = await assistant.answer({ prompt: definitionQuestion(entry.word), maxTokens: 128 });
    if (answer.text !== expectedDefinition(entry) || answer.decision !== 'answered') misses.push(`${entry.word}: [${answer.decision}] ${answer.text}`);
  }
  return { accuracy: 1 - misses.length / words.length, total: words.length, misses };
}

describe('lexicon-tiny answers as its model card says', () => {
  for (const [dtype, ciSize] of [['q8', 150], ['q4', 60]] as const) {
    it(`${dtype}: exact-match accuracy on known words within 2 points of 99.2%`, async () => {
      const result = await accuracy(dtype, evalSampleSize(ciSize));
      console.log(`[eval] ${dtype} known-word accuracy ${(result.accuracy * 100).toFixed(1)}% of ${result.total}; misses: ${result.misses.slice(0, 5).join(' | ')}`);
      expect(result.accuracy).toBeGreaterThanOrEqual(modelCardAccuracy - allowedShortfall);
    }, 600_000);
  }
});
