// The conversation kept in IndexedDB (idb-keyval), so it survives reloads and restarts; every tab of the app writes its turns into it.
import { get, set, update } from 'idb-keyval';
import { emptyConversation, mergeConversation, type SavedConversation, type SavedTurn } from './conversation-merge.js';
import type { ConversationTurn } from './conversation-turn.js';

const KEY = 'nexus-conversation';

/** What IndexedDB holds, read as a conversation: before turns had keys it was a plain list of turns. */
function readStored(value: unknown): SavedConversation {
  if (Array.isArray(value)) return { clearedAt: 0, turns: (value as ConversationTurn[]).map((turn, index) => ({ key: `saved-${index}`, at: index, turn })) };
  if (value && typeof value === 'object' && Array.isArray((value as SavedConversation).turns)) return value as SavedConversation;
  return emptyConversation;
}

/** The saved conversation, oldest first. */
export async function loadConversation(): Promise<SavedConversation> {
  return readStored(await get(KEY));
}

/** Writes one tab's own turns into the saved conversation in one transaction (another tab's save cannot land between). */
export async function saveOwnTurns(own: readonly SavedTurn[]): Promise<void> {
  await update(KEY, (stored: unknown) => mergeConversation(readStored(stored), own));
}

/** Empties the saved conversation: turns asked before `at` are gone from every tab. */
export async function clearSavedConversation(at: number): Promise<void> {
  await set(KEY, { clearedAt: at, turns: [] } satisfies SavedConversation);
}
