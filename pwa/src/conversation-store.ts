// The conversation kept in IndexedDB (idb-keyval), so it survives reloads and restarts.
import { get, set } from 'idb-keyval';
import type { AnswerDecision, AnswerSource } from '../../runtime/core/index.js';

/** One line of the conversation as shown. */
export interface ConversationTurn {
  role: 'user' | 'assistant';
  text: string;
  /** For answers: the question they answer (what "Teach" corrects). */
  question?: string;
  confidence?: number;
  decision?: AnswerDecision;
  source?: AnswerSource;
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
