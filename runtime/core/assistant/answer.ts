// Answer types: what every answer carries (confidence, decision, source) and the streamed events.
import type { FinishReason, GenerationTimings } from '../generation/generation-types.js';
import type { SamplingOptions } from '../generation/sampling-options.js';
import type { ChatMessage } from '../tokenizer/chat-message.js';

export type AnswerDecision = 'answered' | 'abstained' | 'stopped';
export type AnswerSource = 'model' | 'memory' | 'teacher';

export interface AskRequest {
  /** The conversation; the last user message is the question. */
  messages?: ChatMessage[];
  /** Shorthand for one user message. */
  prompt?: string;
  maxTokens?: number;
  sampling?: SamplingOptions;
  stop?: string[];
  signal?: AbortSignal;
  /** Awaited between decode steps (see GenerateRequest.betweenSteps). */
  betweenSteps?: () => Promise<void> | void;
  /** Apply the uncertainty gate (default true). */
  gate?: boolean;
  /** Answer from learned memory when a question matches (default true). */
  memory?: boolean;
  /** Ask the teacher when the gate abstains, if one is configured (default true). */
  teacher?: boolean;
  /**
   * Called once the answer is under way: a remembered answer was found, or the prompt was accepted
   * (before the first model step). A request refused before that (EMPTY_PROMPT, PROMPT_TOO_LONG…)
   * never calls it, so a streaming host can still answer the refusal as a plain error.
   */
  onStart?: () => void;
}

export interface AnswerUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface Answer {
  text: string;
  /** Geometric-mean probability of the first k answer tokens (1 for memory answers). */
  confidence: number;
  decision: AnswerDecision;
  source: AnswerSource;
  finishReason: FinishReason | 'abstained' | 'memory' | 'teacher';
  usage: AnswerUsage;
  timings: GenerationTimings;
  /** True when older turns were dropped to fit the context window. */
  truncated: boolean;
  droppedMessages: number;
  droppedTokens: number;
  seed?: number;
  /** Why the teacher was not used after an abstention, when it failed. */
  teacherError?: string;
}

/** A piece of answer text as soon as it may be shown, then the final answer. */
export type AskEvent = { type: 'delta'; text: string } | { type: 'done'; answer: Answer };
