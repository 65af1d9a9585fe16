// Generation types: the request, the streamed token events and the final result of one generation.
import type { SamplingOptions } from './sampling-options.js';
import type { TokenStats } from './token-stats.js';

export interface GenerateRequest {
  /** The rendered, tokenized prompt. */
  promptIds: readonly number[];
  /** Most answer tokens to generate (default 128); clipped to what the context window leaves. */
  maxTokens?: number;
  sampling?: SamplingOptions;
  /** Strings that end the answer (not included in it). */
  stop?: readonly string[];
  /** Keep generating past EOS until maxTokens (benchmarks measure a fixed token count). */
  ignoreEos?: boolean;
  /** Cancels the generation; it ends within one decode step with finishReason "aborted". */
  signal?: AbortSignal;
  /** Awaited after every decode step: a host's resource governor pauses here to hold a CPU budget. */
  betweenSteps?: () => Promise<void> | void;
}

/** One generated token; `text` is the newly complete text (may be '' mid-character or for EOS). */
export interface TokenEvent extends TokenStats {
  type: 'token';
  index: number;
  tokenId: number;
  text: string;
  /** True for the end-of-sequence token (never part of the answer's text). */
  isEos: boolean;
}

export type FinishReason = 'eos' | 'stop' | 'length' | 'aborted';

export interface GenerationTimings {
  prefillMs: number;
  /** From the start of the request to the first token. */
  ttftMs: number;
  decodeMs: number;
  totalMs: number;
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
}

export interface GenerationResult {
  text: string;
  tokenIds: number[];
  finishReason: FinishReason;
  promptTokens: number;
  completionTokens: number;
  seed: number;
  timings: GenerationTimings;
}

export interface DoneEvent {
  type: 'done';
  result: GenerationResult;
}

export type GenerationEvent = TokenEvent | DoneEvent;
