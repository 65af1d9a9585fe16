// Two tabs saving one conversation: each writes its own turns in by key, ordered by when they were asked; a clear drops older ones.
import { describe, expect, it } from 'vitest';
import { mergeConversation, type SavedTurn } from '../../pwa/src/conversation-merge.js';

const turn = (key: string, at: number, text = key): SavedTurn => ({ key, at, turn: { role: key.endsWith('q') ? 'user' : 'assistant', text } });

describe('mergeConversation', () => {
  it('keeps the other tab\'s turns and puts this tab\'s among them by when they were asked', () => {
    const saved = { clearedAt: 0, turns: [turn('a1q', 10), turn('a1a', 10), turn('b1q', 30), turn('b1a', 30)] };
    const merged = mergeConversation(saved, [turn('a2q', 20), turn('a2a', 20)]);
    expect(merged.turns.map((entry) => entry.key)).toEqual(['a1q', 'a1a', 'a2q', 'a2a', 'b1q', 'b1a']);
    expect(merged.clearedAt).toBe(0);
  });

  it('replaces a saved turn with this tab\'s newer copy of it, in its place', () => {
    const saved = { clearedAt: 0, turns: [turn('a1q', 10), turn('a1a', 10, 'partial'), turn('b1q', 30)] };
    const merged = mergeConversation(saved, [turn('a1q', 10), turn('a1a', 10, 'whole answer')]);
    expect(merged.turns.map((entry) => [entry.key, entry.turn.text])).toEqual([['a1q', 'a1q'], ['a1a', 'whole answer'], ['b1q', 'b1q']]);
  });

  it('leaves out this tab\'s turns asked before a clear, and keeps those asked since', () => {
    const saved = { clearedAt: 50, turns: [turn('b2q', 60)] };
    const merged = mergeConversation(saved, [turn('a1q', 10), turn('a1a', 10), turn('a2q', 50), turn('a2a', 50)]);
    expect(merged).toEqual({ clearedAt: 50, turns: [turn('a2q', 50), turn('a2a', 50), turn('b2q', 60)] });
  });

  it('changes nothing it was given', () => {
    const saved = { clearedAt: 0, turns: [turn('b1q', 30)] };
    const own = [turn('a1q', 10)];
    mergeConversation(saved, own);
    expect(saved.turns.map((entry) => entry.key)).toEqual(['b1q']);
    expect(own.map((entry) => entry.key)).toEqual(['a1q']);
  });
});
