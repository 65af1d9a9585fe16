// Conversation: the one conversation of the app, which every chat view reads and writes through, saved as it changes
// and followed as other tabs of the app change it.
import type { AnswerView } from './protocol/worker-protocol.js';
import { mergeConversation, type SavedConversation, type SavedTurn } from './conversation-merge.js';
import { clearSavedConversation, loadConversation, saveOwnTurns } from './conversation-store.js';
import { ConversationChannel, type ConversationMessage } from './conversation-channel.js';
import { answerLocksAvailable, holdAnswerLock, whenAnswerLockFree, type AnswerLock } from './answer-lock.js';
import { ANSWER_KEEPALIVE_MS, AnswerSilenceWatch } from './answer-silence-watch.js';
import type { ConversationTurn } from './conversation-turn.js';
import { errorText } from './ui/error-text.js';
import type { DeltaListener } from './worker-client.js';

/** A turn and the id views find it by. */
export interface ConversationEntry {
  id: number;
  turn: ConversationTurn;
}

/** What changed: a turn added (at the end, or `before` the turn of that id) or updated, or the whole conversation cleared. */
export type ConversationChange =
  | { type: 'added'; entry: ConversationEntry; before?: number }
  | { type: 'updated'; entry: ConversationEntry }
  | { type: 'cleared' }
  | { type: 'pending'; pending: boolean };

/** An entry as this tab holds it: `own` turns were asked here, and this tab alone writes them. */
interface HeldEntry extends ConversationEntry, SavedTurn {
  own: boolean;
}

const sameTurn = (a: ConversationTurn, b: ConversationTurn) => JSON.stringify(a) === JSON.stringify(b);

/** A saved answer that is done: what another tab streamed of it is superseded. */
const finished = ({ turn }: SavedTurn) => turn.role !== 'assistant' || turn.decision !== undefined || turn.stopped === true;

/** An answer under way: its promise, and how to stop it. */
export interface PendingAnswer {
  answer: Promise<AnswerView>;
  stop(): void;
}

/**
 * The conversation; a question's answer is a turn in it from the moment it is asked, so a rebuilt view shows it still
 * streaming. Two tabs may ask at once: each writes only its own turns into the saved conversation and shows the other's
 * as they stream and once they are saved; a clear in one tab clears every tab.
 */
export class Conversation {
  private entries: HeldEntry[] = [];
  private nextId = 1;
  private nextKey = 1;
  /** Names this tab's turns: crypto.randomUUID is missing outside secure contexts (an appliance's PWA over plain HTTP on the LAN). */
  private readonly tab = Math.random().toString(36).slice(2, 10);
  private clearedAt: number;
  private readonly listeners = new Set<(change: ConversationChange) => void>();
  private stopPending: (() => void) | undefined;
  /** When the answer under way was asked: a clear in another tab after it stops it. */
  private pendingAt = 0;
  /** Saves and clears, in order. */
  private writes: Promise<unknown> = Promise.resolve();
  /** Reads of another tab's change, in order. */
  private follows: Promise<unknown> = Promise.resolve();
  private readonly channel = new ConversationChannel((message) => this.received(message));
  /** Answers under way in other tabs, as they last said, by key: shown here until they are saved. */
  private readonly streamedElsewhere = new Map<string, SavedTurn>();
  /** This tab's answer under way, shown to the other tabs as it streams once its lock is held. */
  private streaming: { entry: HeldEntry; lock: AnswerLock; held: boolean } | undefined;
  /** Without Web Locks: other tabs' answers end when their tabs fall silent, and this tab's says it is alive. */
  private readonly silence = new AnswerSilenceWatch((key) => this.received({ type: 'gone', key }));
  private keepAlive: ReturnType<typeof setInterval> | undefined;

  private constructor(saved: SavedConversation) {
    this.clearedAt = saved.clearedAt;
    for (const turn of saved.turns) this.entries.push({ ...turn, id: this.nextId++, own: false });
    // A tab closed mid-answer never saves that answer: the other tabs stop showing it.
    globalThis.addEventListener?.('pagehide', () => {
      if (this.streaming) this.channel.gone(this.streaming.entry.key);
    });
    // A tab that saved between the load and the channel's listener said so to nobody: read once more.
    this.followAgain();
  }

  private received(message: ConversationMessage): void {
    if (message.type === 'streaming') return this.followAgain(message.turn);
    // An answer that ended after its saved final was read here (its lock freed, or its tab closed) changes nothing shown.
    if (message.type === 'gone' && !this.streamedElsewhere.delete(message.key)) return;
    this.followAgain();
  }

  /** Reads the saved conversation again, after the reads before; with `streamed`, shows that turn of another tab's first. */
  private followAgain(streamed?: SavedTurn): void {
    this.follows = this.follows.then(() => (streamed ? this.showStreamed(streamed) : this.follow())).catch(() => undefined);
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
    const at = Date.now();
    this.add({ role: 'user', text: prompt }, at);
    const reply = this.add({ role: 'assistant', text: '', question: prompt }, at);
    this.save();
    this.startSharing(reply);
    try {
      return await this.answer(reply, prompt, start);
    } finally {
      this.endSharing();
    }
  }

  private async answer(reply: HeldEntry, prompt: string, start: (onDelta: DeltaListener) => PendingAnswer): Promise<AnswerView | undefined> {
    let asked: PendingAnswer;
    try {
      asked = start((text, restart) => {
        this.update(reply.id, { ...reply.turn, text: (restart ? '' : reply.turn.text) + text }, false);
        this.share();
      });
    } catch (error) {
      this.fail(reply.id, prompt, error);
      return undefined;
    }
    this.pendingAt = reply.at;
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

  /** Empties the conversation (stopping an answer under way) and saves it empty, in every tab. */
  async clear(): Promise<void> {
    this.stop();
    const at = Math.max(Date.now(), this.clearedAt);
    this.clearedAt = at;
    this.entries = [];
    this.streamedElsewhere.clear();
    this.emit({ type: 'cleared' });
    await this.write(() => clearSavedConversation(at));
  }

  private fail(id: number, prompt: string, error: unknown): void {
    this.update(id, { role: 'error', text: errorText(error), question: prompt }, true);
  }

  private add(turn: ConversationTurn, at: number): HeldEntry {
    const entry = { id: this.nextId++, turn, key: `${this.tab}-${this.nextKey++}`, at, own: true };
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

  /** Holds the answer's lock while it is under way: other tabs shown it learn when it ends, even if this tab dies. */
  private startSharing(entry: HeldEntry): void {
    const sharing = { entry, lock: holdAnswerLock(entry.key), held: false };
    this.streaming = sharing;
    const shareWhileUnderWay = () => {
      if (this.streaming === sharing && entry.turn.text) this.share();
    };
    if (!answerLocksAvailable()) this.keepAlive = setInterval(shareWhileUnderWay, ANSWER_KEEPALIVE_MS);
    void sharing.lock.held.then(() => {
      sharing.held = true;
      shareWhileUnderWay();
    });
  }

  /** Shows the other tabs this tab's answer as it is now (a tab told before the lock is held could not watch it). */
  private share(): void {
    if (!this.streaming?.held) return;
    const { key, at, turn } = this.streaming.entry;
    this.channel.streaming({ key, at, turn });
  }

  /** The answer is done or failed: the lock goes once what is saved says so, and the other tabs read it there. */
  private endSharing(): void {
    const lock = this.streaming?.lock;
    this.streaming = undefined;
    clearInterval(this.keepAlive);
    this.keepAlive = undefined;
    this.channel.streamingDone();
    void this.writes.then(() => lock?.release());
  }

  /** Another tab's answer as it streams: its text where it is shown, else the conversation read again to place it. */
  private async showStreamed(streamed: SavedTurn): Promise<void> {
    if (streamed.at < this.clearedAt) return;
    if (!this.streamedElsewhere.has(streamed.key)) whenAnswerLockFree(streamed.key, () => this.received({ type: 'gone', key: streamed.key }));
    if (!answerLocksAvailable()) this.silence.heard(streamed.key);
    this.streamedElsewhere.set(streamed.key, streamed);
    const entry = this.entries.find((candidate) => candidate.key === streamed.key);
    if (!entry) return this.follow();
    if (entry.own || sameTurn(entry.turn, streamed.turn)) return;
    entry.turn = streamed.turn;
    this.emit({ type: 'updated', entry });
  }

  private setPending(stop: (() => void) | undefined): void {
    this.stopPending = stop;
    this.emit({ type: 'pending', pending: stop !== undefined });
  }

  /** Saves this tab's turns as they are now, without an answer still empty (a reload meanwhile shows the question alone). */
  private save(): void {
    const own = this.entries.filter(({ own, turn }) => own && (turn.role !== 'assistant' || turn.text || turn.decision));
    void this.write(() => saveOwnTurns(own.map(({ key, at, turn }) => ({ key, at, turn }))));
  }

  /** Runs `change` after the writes before it, then tells the other tabs. */
  private write(change: () => Promise<unknown>): Promise<void> {
    const done = this.writes.then(change).then(() => this.channel.changed());
    this.writes = done.catch(() => undefined);
    return done;
  }

  /** Shows what another tab saved: its turns join this tab's by when they were asked; a clear there clears here. */
  private async follow(): Promise<void> {
    const saved = await loadConversation();
    if (saved.clearedAt > this.clearedAt) {
      this.clearedAt = saved.clearedAt;
      if (this.pending && this.pendingAt < saved.clearedAt) this.stop();
    }
    // A clear of this tab's that is not written yet is kept: what was saved before it stays gone.
    const sinceClear = { clearedAt: this.clearedAt, turns: saved.turns.filter((turn) => turn.at >= this.clearedAt) };
    for (const turn of sinceClear.turns) if (finished(turn)) this.streamedElsewhere.delete(turn.key);
    for (const turn of this.streamedElsewhere.values()) if (turn.at < this.clearedAt) this.streamedElsewhere.delete(turn.key);
    const current = mergeConversation(sinceClear, [...this.streamedElsewhere.values()]);
    const held = new Map(this.entries.map((entry) => [entry.key, entry]));
    const updated: HeldEntry[] = [];
    const next = mergeConversation(current, this.entries.filter((entry) => entry.own)).turns.map((turn) => {
      const entry = held.get(turn.key);
      if (!entry) return { ...turn, id: this.nextId++, own: false };
      if (!entry.own && !sameTurn(entry.turn, turn.turn)) {
        entry.turn = turn.turn;
        updated.push(entry);
      }
      return entry;
    });
    const shown = new Set(this.entries);
    const kept = next.filter((entry) => shown.has(entry));
    const inOrder = kept.length === this.entries.length && kept.every((entry, index) => entry === this.entries[index]);
    this.entries = next;
    if (!inOrder) {
      this.emit({ type: 'cleared' });
      for (const entry of next) this.emit({ type: 'added', entry });
      return;
    }
    for (const entry of updated) this.emit({ type: 'updated', entry });
    // A turn asked before one shown here (a slower tab's answer) goes in its place; the views around it stay as they are.
    next.forEach((entry, index) => {
      if (shown.has(entry)) return;
      const before = next.slice(index + 1).find((later) => shown.has(later));
      this.emit(before ? { type: 'added', entry, before: before.id } : { type: 'added', entry });
    });
  }

  private emit(change: ConversationChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
