// checkPromptFits: refuses a prompt the loaded model cannot take before the request is queued or a stream starts.
import type { AskRequest } from '../../core/assistant/answer.js';
import { buildPrompt } from '../../core/generation/prompt-builder.js';
import { normalizeQuestion } from '../../core/learner/normalize-question.js';
import { isNexusError } from '../../core/nexus-error.js';
import type { ChatMessage } from '../../core/tokenizer/chat-message.js';
import type { Daemon } from '../appliance/daemon.js';

function messagesOf(request: AskRequest): ChatMessage[] {
  if (request.messages && request.messages.length > 0) return request.messages;
  return request.prompt === undefined ? [] : [{ role: 'user', content: request.prompt }];
}

/** Whether the assistant would answer from memory, without refreshing the entry as a lookup does. */
function answeredFromMemory(daemon: Daemon, request: AskRequest, messages: readonly ChatMessage[]): boolean {
  if (request.memory === false || !daemon.assistant) return false;
  const question = [...messages].reverse().find((message) => message.role === 'user')?.content ?? '';
  const key = normalizeQuestion(question);
  return daemon.assistant.memory.entries().some((entry) => entry.key === key);
}

/**
 * Throws what the assistant would throw once the request ran (EMPTY_PROMPT, PROMPT_TOO_LONG,
 * CHAT_TEMPLATE_MISSING), so that a streamed request gets the same HTTP 400 as a plain one
 * instead of a 200 whose stream carries the error, and neither waits for a queue slot first.
 * Tokenizing the prompt here as well costs about 1.5 µs a token, against a prefill that costs
 * far more. Nothing is checked while the model loads (generate() answers NOT_READY then).
 */
export function checkPromptFits(daemon: Daemon, request: AskRequest): void {
  const assistant = daemon.assistant;
  if (!assistant) return;
  const messages = messagesOf(request);
  try {
    buildPrompt(assistant.model.tokenizer, messages, { contextLength: assistant.model.contextLength, reserveForAnswer: request.maxTokens ?? daemon.config.generation.maxTokens });
  } catch (error) {
    // A remembered answer needs no prompt: the assistant gives it whatever the conversation's length.
    if (!isNexusError(error, 'EMPTY_PROMPT') && answeredFromMemory(daemon, request, messages)) return;
    throw error;
  }
}
