// buildPrompt: renders a conversation into prompt ids that fit the context window, dropping oldest turns by rule.
import { NexusError } from '../nexus-error.js';
import type { TextTokenizer } from '../tokenizer/text-tokenizer.js';
import type { ChatMessage } from '../tokenizer/chat-message.js';

export interface BuiltPrompt {
  ids: number[];
  /** True when older turns were dropped to fit; never silent. */
  truncated: boolean;
  droppedMessages: number;
  droppedTokens: number;
}

export interface PromptBudget {
  contextLength: number;
  /** Tokens kept free for the answer (at most half the context: a longer answer gets what is left, as generate() caps it). */
  reserveForAnswer: number;
}

function render(tokenizer: TextTokenizer, messages: readonly ChatMessage[]): number[] {
  return tokenizer.encode(tokenizer.applyChatTemplate(messages, { addGenerationPrompt: true }));
}

/**
 * Fits `messages` into the context: system messages and the last message are always kept; the
 * oldest other turns are dropped until the prompt plus the answer reserve fits. If even that is
 * too long, PROMPT_TOO_LONG.
 */
export function buildPrompt(tokenizer: TextTokenizer, messages: readonly ChatMessage[], budget: PromptBudget): BuiltPrompt {
  if (messages.length === 0 || messages.every((message) => message.content.trim() === '')) throw new NexusError('EMPTY_PROMPT');
  // A max_tokens as long as the window asks for the answer's room, not for a prompt of no tokens.
  const reserve = Math.max(1, Math.min(budget.reserveForAnswer, Math.floor(budget.contextLength / 2)));
  const maxPromptTokens = budget.contextLength - reserve;
  const full = render(tokenizer, messages);
  if (full.length <= maxPromptTokens) return { ids: full, truncated: false, droppedMessages: 0, droppedTokens: 0 };

  const system = messages.filter((message) => message.role === 'system');
  const turns = messages.filter((message) => message.role !== 'system');
  for (let drop = 1; drop < turns.length; drop++) {
    const ids = render(tokenizer, [...system, ...turns.slice(drop)]);
    if (ids.length <= maxPromptTokens) return { ids, truncated: true, droppedMessages: drop, droppedTokens: full.length - ids.length };
  }
  const kept = render(tokenizer, [...system, ...turns.slice(-1)]);
  throw new NexusError('PROMPT_TOO_LONG', { promptTokens: kept.length, contextLength: budget.contextLength, maxPromptTokens });
}
