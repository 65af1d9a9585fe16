// Shared by the API and assistant legs: the built-in model's Assistant with EOS ignored, so every answer runs the full token count.
import type { Assistant } from '../../../runtime/core/assistant/assistant.js';
import { createAssistant } from '../../../runtime/node/create-assistant.js';
import type { BackendChoice } from '../../../runtime/node/select-engine.js';
import type { LegOptions } from '../leg-result.js';

/**
 * The Assistant the appliance would build (registry gate calibration) on `backend`. EOS ids are
 * cleared on this bench copy of the model: Assistant.ask has no ignoreEos yet, and without it the
 * answer ends after ~20 tokens, 12 of which the gate holds back — too few to time decoding.
 */
export async function benchAssistant(options: LegOptions, backend: BackendChoice = 'wasm'): Promise<Assistant> {
  const assistant = await createAssistant({ model: 'lexicon-tiny', dtype: options.dtype, backend, threads: options.threads, defaultMaxTokens: options.tokens });
  assistant.model.config.eosTokenIds.length = 0;
  return assistant;
}

/** Tokens the gate holds before the first text is shown: decode is timed over the rest. */
export function heldTokens(assistant: Assistant): number {
  return assistant.calibration.settings.k;
}
