// ConversationChannel: what the tabs of the app tell each other about the conversation, over a BroadcastChannel.
import type { SavedTurn } from './conversation-merge.js';

/**
 * `changed`: the saved conversation changed (read it again). `streaming`: an answer under way in the sending tab, as it
 * is now (not saved until it is done). `gone`: that tab closed with the answer unfinished; it will never be saved.
 */
export type ConversationMessage = { type: 'changed' } | { type: 'streaming'; turn: SavedTurn } | { type: 'gone'; key: string };

const NAME = 'nexus-conversation';

/** How often a streaming answer is sent on at most: other tabs show it in steps this long. */
export const STREAMING_INTERVAL_MS = 100;

/** Reads a message; the bare string 'changed' is what tabs of the version before send. */
function parse(data: unknown): ConversationMessage {
  if (data && typeof data === 'object' && 'type' in data) {
    const message = data as ConversationMessage;
    if (message.type === 'streaming' || message.type === 'gone') return message;
  }
  return { type: 'changed' };
}

/** The channel, where the browser has one (every current one does); without it the tabs follow nothing. */
export class ConversationChannel {
  private readonly channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(NAME) : undefined;
  private latest: SavedTurn | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(onMessage: (message: ConversationMessage) => void) {
    this.channel?.addEventListener('message', (event: MessageEvent) => onMessage(parse(event.data)));
  }

  changed(): void {
    this.channel?.postMessage('changed');
  }

  /** Sends `turn` within STREAMING_INTERVAL_MS, the latest of the turns given meanwhile. */
  streaming(turn: SavedTurn): void {
    this.latest = turn;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      if (this.latest) this.channel?.postMessage({ type: 'streaming', turn: this.latest } satisfies ConversationMessage);
      this.latest = undefined;
    }, STREAMING_INTERVAL_MS);
  }

  /** Drops a streaming turn not sent yet: the answer is done, and what is saved says so. */
  streamingDone(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.latest = undefined;
  }

  gone(key: string): void {
    this.streamingDone();
    this.channel?.postMessage({ type: 'gone', key } satisfies ConversationMessage);
  }

  close(): void {
    this.streamingDone();
    this.channel?.close();
  }
}
