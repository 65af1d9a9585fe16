// Answer streams for ask and chat: the same events from the in-process Assistant or a running appliance.
import type { Assistant } from '../../core/assistant/assistant.js';
import type { Answer } from '../../core/assistant/answer.js';
import type { ChatMessage } from '../../core/tokenizer/chat-message.js';
import { NexusError, type NexusErrorJSON } from '../../core/nexus-error.js';
import { sendApi } from './http-client.js';
import { readSseEvents } from './sse-events.js';

/** What `ask --json` prints and chat shows after an answer. */
export type AnswerSummary = Pick<Answer, 'text' | 'confidence' | 'decision' | 'source' | 'usage' | 'timings'> & Partial<Pick<Answer, 'finishReason'>>;

/** Text as it comes, then the summary. */
export type AnswerEvent = { type: 'delta'; text: string } | { type: 'done'; answer: AnswerSummary };

/** One question: a prompt or a conversation, and sampling choices. */
export interface AnswerRequest {
  prompt?: string;
  messages?: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  seed?: number;
  gate?: boolean;
  signal?: AbortSignal;
}

const summarize = (answer: Answer): AnswerSummary => {
  const { text, confidence, decision, source, usage, timings, finishReason } = answer;
  return { text, confidence, decision, source, usage, timings, finishReason };
};

/** Asks the in-process Assistant. */
export async function* answerLocally(assistant: Assistant, request: AnswerRequest): AsyncGenerator<AnswerEvent> {
  const sampling = { temperature: request.temperature, seed: request.seed };
  for await (const event of assistant.ask({ prompt: request.prompt, messages: request.messages, maxTokens: request.maxTokens, sampling, gate: request.gate, signal: request.signal })) {
    yield event.type === 'delta' ? event : { type: 'done', answer: summarize(event.answer) };
  }
}

interface RemoteDone extends Omit<AnswerSummary, 'text'> {
  response: string;
}

/** How to reach a running appliance: its key and the CA to trust for https, when there are. */
export interface RemoteAccess {
  key?: string;
  ca?: string;
}

/** Asks a running appliance through POST /api/interact?stream=1. */
export async function* answerRemotely(baseUrl: string, request: AnswerRequest, access: RemoteAccess = {}): AsyncGenerator<AnswerEvent> {
  const { signal, prompt, messages, maxTokens, temperature, seed, gate } = request;
  // The API reads the sampling choices from `options` only and drops unknown top-level keys.
  const body = { prompt, messages, options: { maxTokens, temperature, seed, gate } };
  const response = await sendApi(`${baseUrl}/api/interact?stream=1`, { method: 'POST', body, key: access.key, ca: access.ca, signal });
  if (!response.body) throw new NexusError('INTERNAL', { reason: 'the appliance sent an empty stream' });
  for await (const event of readSseEvents(response.body)) {
    const data = JSON.parse(event.data) as Record<string, unknown>;
    if (event.event === 'delta') yield { type: 'delta', text: String(data.text ?? '') };
    else if (event.event === 'done') {
      const { response: text, confidence, decision, source, usage, timings, finishReason } = data as unknown as RemoteDone;
      yield { type: 'done', answer: { text, confidence, decision, source, usage, timings, finishReason } };
      return;
    } else if (event.event === 'error') {
      const error = (data.error ?? data) as NexusErrorJSON;
      throw NexusError.fromJSON(error);
    }
  }
  throw new NexusError('INTERNAL', { reason: 'the answer stream ended before its done event' });
}
