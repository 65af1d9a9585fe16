// Conversation: the one conversation of this page, which every chat view reads and writes through, saved as it changes.
import type { AnswerView } from './protocol/worker-protocol.js';
import { loadConversation, saveConversation, type ConversationTurn } from './conversation-store.js';
import { errorText } from './ui/error-text.js';
import type { DeltaListener } from './worker-client.js';

/** A turn and the id views find it by. */
export interface ConversationEntry {
  id: number;
  turn: ConversationTurn;
}

/** What changed: a turn added or updated, or the whole conversation cleared. */
export type ConversationChange = { type: 'added' | 'updated'; entry: ConversationEntry } | { type: 'cleared' } | { type: 'pending'; pending: boolean };

/** An answer under way: its promise, and how to stop it. */
export interface PendingAnswer {
  answer: Promise<AnswerView>;
  stop(): void;
}

/** The conversation; a question's answer is a turn in it from the moment it is asked, so a rebuilt view shows it still streaming. */
export class Conversation {
  private entries: ConversationEntry[] = [];
  private nextId = 1;
  private readonly listeners = new Set<(change: ConversationChange) => void>();
  private stopPending: (() => void) | undefined;

  private constructor(turns: readonly ConversationTurn[]) {
    for (const turn of turns) this.entries.push({ id: this.nextId++, turn });
  }

  /** The saved conversation. */
  static async load(): Promise<Conversation> {
    return new Conversation(await loadConversation());
  }

  get all(): readonly ConversationEntry[] {
    return this.entries;
  }

  /** True while an answer is under way. */
  get pending(): boolean {
    return this.stopPending !== undefined;
  }

  /** Calls `listener` on every change until the function returned is called. */
  subscribe(listener: (change: ConversationChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops the answer under way, if any. */
  stop(): void {
    this.stopPending?.();
  }

  /**
   * Adds `prompt` and its answer, streamed from `start`; resolves with the answer (undefined when it failed:
   * the answer turn says why). A clear meanwhile drops the answer: it is never saved over the new conversation.
   */
  async ask(prompt: string, start: (onDelta: DeltaListener) => PendingAnswer): Promise<AnswerView | undefined> {
    this.add({ role: 'user', text: prompt });
    const reply = this.add({ role: 'assistant', text: '', question: prompt });
    this.save();
    let asked: PendingAnswer;
    try {
      asked = start((text, restart) => this.update(reply.id, { ...reply.turn, text: (restart ? '' : reply.turn.text) + text }, false));
    } catch (error) {
      this.fail(reply.id, prompt, error);
      return undefined;
    }
    this.setPending(asked.stop);
    try {
      const done = await asked.answer;
      this.update(reply.id, { ...reply.turn, text: done.text, confidence: done.confidence, decision: done.decision, source: done.source, stopped: done.stopped }, true);
      return done;
    } catch (error) {
      this.fail(reply.id, prompt, error);
      return undefined;
    } finally {
      this.setPending(undefined);
    }
  }

  /** Empties the conversation (stopping an answer under way) and saves it empty. */
  async clear(): Promise<void> {
    this.stop();
    this.entries = [];
    this.emit({ type: 'cleared' });
    await saveConversation([]);
  }

  private fail(id: number, prompt: string, error: unknown): void {
    this.update(id, { role: 'error', text: errorText(error), question: prompt }, true);
  }

  private add(turn: ConversationTurn): ConversationEntry {
    const entry = { id: this.nextId++, turn };
    this.entries.push(entry);
    this.emit({ type: 'added', entry });
    return entry;
  }

  /** Replaces the turn `id`; a turn no longer in the conversation (cleared) stays gone. */
  private update(id: number, turn: ConversationTurn, save: boolean): void {
    const entry = this.entries.find((candidate) => candidate.id === id);
    if (!entry) return;
    entry.turn = turn;
    this.emit({ type: 'updated', entry });
    if (save) this.save();
  }

  private setPending(stop: (() => void) | undefined): void {
    this.stopPending = stop;
    this.emit({ type: 'pending', pending: stop !== undefined });
  }

  /** Saves the conversation as it is now, without an answer still empty (a reload meanwhile shows the question alone). */
  private save(): void {
    void saveConversation(this.entries.map((entry) => entry.turn).filter((turn) => turn.role !== 'assistant' || turn.text || turn.decision));
  }

  private emit(change: ConversationChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
