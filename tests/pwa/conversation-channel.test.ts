// ConversationChannel between two "tabs" (two channels of one name, as two tabs of the app hold), on Node's BroadcastChannel.
import { afterEach, describe, expect, it } from 'vitest';
import { ConversationChannel, STREAMING_INTERVAL_MS, type ConversationMessage } from '../../pwa/src/conversation-channel.js';
import type { SavedTurn } from '../../pwa/src/conversation-merge.js';

const turn = (text: string): SavedTurn => ({ key: 'tab-2', at: 1, turn: { role: 'assistant', text, question: 'What does river mean?' } });
const closers: (() => void)[] = [];

/** A sending tab's channel and what another tab's channel receives. */
function twoTabs(): { sender: ConversationChannel; received: ConversationMessage[] } {
  const received: ConversationMessage[] = [];
  const sender = new ConversationChannel(() => undefined);
  const receiver = new ConversationChannel((message) => received.push(message));
  closers.push(() => sender.close(), () => receiver.close());
  return { sender, received };
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => closers.splice(0).forEach((close) => close()));

describe('ConversationChannel', () => {
  it('sends a streaming answer at most once an interval, the latest text of it', async () => {
    const { sender, received } = twoTabs();
    for (const text of ['river', 'river (noun)', 'river (noun): a large']) sender.streaming(turn(text));
    await settle(STREAMING_INTERVAL_MS + 50);
    expect(received).toEqual([{ type: 'streaming', turn: turn('river (noun): a large') }]);
    sender.streaming(turn('river (noun): a large natural'));
    await settle(STREAMING_INTERVAL_MS + 50);
    expect(received.map((message) => message.type === 'streaming' && message.turn.turn.text)).toEqual(['river (noun): a large', 'river (noun): a large natural']);
  });

  it('drops a streaming answer not sent yet once it is done, and says when its tab is gone', async () => {
    const { sender, received } = twoTabs();
    sender.streaming(turn('river'));
    sender.streamingDone();
    sender.changed();
    sender.streaming(turn('lantern'));
    sender.gone('tab-2');
    await settle(STREAMING_INTERVAL_MS + 50);
    expect(received).toEqual([{ type: 'changed' }, { type: 'gone', key: 'tab-2' }]);
  });

  it('reads anything else, such as the bare string tabs of the version before send, as a change', async () => {
    const { received } = twoTabs();
    const before = new BroadcastChannel('nexus-conversation');
    closers.push(() => before.close());
    before.postMessage('changed');
    before.postMessage({ type: 'unknown' });
    await settle(50);
    expect(received).toEqual([{ type: 'changed' }, { type: 'changed' }]);
  });
});
