// mergeConversation: the saved conversation with one tab's own turns written in, so two tabs never erase each other's.
import type { ConversationTurn } from './conversation-turn.js';

/** A turn as saved: `key` names it in every tab, `at` (ms since the epoch) is when it was asked and orders it. */
export interface SavedTurn {
  key: string;
  at: number;
  turn: ConversationTurn;
}

/** The saved conversation; turns asked before `clearedAt` were cleared, in whichever tab they still show. */
export interface SavedConversation {
  clearedAt: number;
  turns: SavedTurn[];
}

export const emptyConversation: SavedConversation = { clearedAt: 0, turns: [] };

/**
 * `saved` with `own` (the turns one tab asked, as it has them now) written in: an own turn replaces the saved
 * turn of its key or joins the others, by the time it was asked; an own turn asked before the last clear is
 * left out. Turns asked at the same moment keep their order (the question before its answer).
 */
export function mergeConversation(saved: SavedConversation, own: readonly SavedTurn[]): SavedConversation {
  const pending = new Map(own.filter((entry) => entry.at >= saved.clearedAt).map((entry) => [entry.key, entry]));
  const turns = saved.turns.map((entry) => {
    const mine = pending.get(entry.key);
    pending.delete(entry.key);
    return mine ?? entry;
  });
  turns.push(...pending.values());
  turns.sort((a, b) => a.at - b.at);
  return { clearedAt: saved.clearedAt, turns };
}
