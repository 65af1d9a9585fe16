// generate: the prefill + decode loop, streamed as token events, cancellable between steps.
import { NexusError } from '../nexus-error.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { LanguageModel } from '../model/language-model.js';
import { IncrementalDecoder } from '../tokenizer/incremental-decoder.js';
import { EventLoopYielder } from './event-loop-yielder.js';
import { StopSequenceMatcher } from './stop-sequence-matcher.js';
import { TokenSampler } from './token-sampler.js';
import { summarizeLogits, tokenStats } from './token-stats.js';
import type { FinishReason, GenerateRequest, GenerationEvent, GenerationTimings } from './generation-types.js';

const defaultMaxTokens = 128;

function rate(tokens: number, ms: number): number {
  return ms > 0 ? (tokens * 1000) / ms : 0;
}

/**
 * Runs one generation. Yields a `token` event per generated token and a final `done` event.
 * Breaking out of the loop or aborting the signal frees the KV cache at once.
 */
export async function* generate(model: LanguageModel, request: GenerateRequest, clock: Clock = systemClock): AsyncGenerator<GenerationEvent> {
  const started = clock.monotonic();
  const promptIds = request.promptIds;
  if (promptIds.length === 0) throw new NexusError('EMPTY_PROMPT');
  if (promptIds.length >= model.contextLength) {
    throw new NexusError('PROMPT_TOO_LONG', { promptTokens: promptIds.length, contextLength: model.contextLength, maxPromptTokens: model.contextLength - 1 });
  }
  const requested = request.maxTokens ?? defaultMaxTokens;
  if (!Number.isInteger(requested) || requested < 1) throw new NexusError('INVALID_OPTION', { key: 'maxTokens', reason: `expected an integer ≥ 1, got ${requested}` });
  const maxTokens = Math.min(requested, model.contextLength - promptIds.length);
  const sampler = new TokenSampler(request.sampling);
  const eos = new Set(model.config.eosTokenIds);
  const decoder = new IncrementalDecoder(model.tokenizer);
  const stops = new StopSequenceMatcher(request.stop ?? []);
  const sequence = model.lm.newSequence();
  const history = [...promptIds];
  const generated: number[] = [];
  let text = '';
  let finishReason: FinishReason = 'length';
  let prefillMs = 0;
  let ttftMs = 0;
  const yielder = new EventLoopYielder(() => clock.monotonic());

  try {
    let input: readonly number[] = promptIds;
    while (generated.length < maxTokens) {
      if (request.signal?.aborted) {
        finishReason = 'aborted';
        break;
      }
      const stepStarted = clock.monotonic();
      const logits = await sequence.step(input);
      if (generated.length === 0) {
        prefillMs = clock.monotonic() - stepStarted;
        ttftMs = clock.monotonic() - started;
      }
      // Let the host see a disconnect or an abort that arrived during the step.
      await yielder.maybeYield();
      await request.betweenSteps?.();
      if (request.signal?.aborted) {
        finishReason = 'aborted';
        break;
      }
      const summary = summarizeLogits(logits);
      const tokenId = sampler.choose(logits, summary, history);
      const stats = tokenStats(logits, summary, tokenId);
      const isEos = eos.has(tokenId) && !request.ignoreEos;
      const index = generated.length;
      generated.push(tokenId);
      history.push(tokenId);
      if (isEos) {
        yield { type: 'token', index, tokenId, text: '', isEos, ...stats };
        finishReason = 'eos';
        break;
      }
      const match = stops.push(decoder.push(tokenId));
      text += match.emit;
      yield { type: 'token', index, tokenId, text: match.emit, isEos, ...stats };
      if (match.stopped) {
        finishReason = 'stop';
        break;
      }
      input = [tokenId];
    }
    if (finishReason === 'length' || finishReason === 'eos') {
      const rest = stops.push(decoder.flush());
      text += rest.emit + (rest.stopped ? '' : stops.flush());
      if (rest.stopped) finishReason = 'stop';
    }
  } finally {
    sequence.dispose();
  }

  const totalMs = clock.monotonic() - started;
  const decodeMs = Math.max(0, totalMs - ttftMs);
  const timings: GenerationTimings = {
    prefillMs,
    ttftMs,
    decodeMs,
    totalMs,
    prefillTokensPerSecond: rate(promptIds.length, prefillMs),
    decodeTokensPerSecond: rate(Math.max(0, generated.length - 1), decodeMs),
  };
  yield {
    type: 'done',
    result: { text, tokenIds: generated, finishReason, promptTokens: promptIds.length, completionTokens: generated.length, seed: sampler.seed, timings },
  };
}
