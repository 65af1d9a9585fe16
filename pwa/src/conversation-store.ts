// The conversation kept in IndexedDB (idb-keyval), so it survives reloads and restarts.
import { get, set } from 'idb-keyval';
import type { AnswerDecision, AnswerSource } from '../../runtime/core/index.js';

/** One line of the conversation as shown. */
export interface ConversationTurn {
  /** `error`: the question got no answer; the text says why (there is nothing to teach). */
  role: 'user' | 'assistant' | 'error';
  text: string;
  /** For answers: the question they answer (what "Teach" corrects). */
  question?: string;
  confidence?: number;
  decision?: AnswerDecision;
  source?: AnswerSource;
  /** The user stopped the answer: its text is cut off. */
  stopped?: boolean;
}

const KEY = 'nexus-conversation';

/** The saved conversation, oldest first. */
export async function loadConversation(): Promise<ConversationTurn[]> {
  return (await get<ConversationTurn[]>(KEY)) ?? [];
}

/** Replaces the saved conversation. */
export async function saveConversation(turns: readonly ConversationTurn[]): Promise<void> {
  await set(KEY, [...turns]);
}
