// AnswerSilenceWatch (no Web Locks): an answer another tab streams ends once that tab has said nothing of it for
// ANSWER_SILENCE_MS, never while it keeps saying so, and the watch stops its timer when it watches nothing.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ANSWER_KEEPALIVE_MS, ANSWER_SILENCE_MS, AnswerSilenceWatch } from '../../pwa/src/answer-silence-watch.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('AnswerSilenceWatch', () => {
  it('calls an answer silent once, after ANSWER_SILENCE_MS without news of it, and not while it is heard every keepalive', () => {
    const silent: string[] = [];
    const watch = new AnswerSilenceWatch((key) => silent.push(key));
    watch.heard('a');
    watch.heard('b');
    for (let elapsed = 0; elapsed < 3 * ANSWER_SILENCE_MS; elapsed += ANSWER_KEEPALIVE_MS) {
      vi.advanceTimersByTime(ANSWER_KEEPALIVE_MS);
      watch.heard('a');
    }
    expect(silent).toEqual(['b']);
    vi.advanceTimersByTime(ANSWER_SILENCE_MS + ANSWER_KEEPALIVE_MS);
    expect(silent).toEqual(['b', 'a']);
    vi.advanceTimersByTime(10 * ANSWER_SILENCE_MS);
    expect(silent).toEqual(['b', 'a']);
  });

  it('runs a timer only while it watches an answer', () => {
    const watch = new AnswerSilenceWatch(() => undefined);
    expect(vi.getTimerCount()).toBe(0);
    watch.heard('a');
    watch.heard('a');
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(ANSWER_SILENCE_MS + ANSWER_KEEPALIVE_MS);
    expect(vi.getTimerCount()).toBe(0);
    watch.heard('c');
    expect(vi.getTimerCount()).toBe(1);
  });
});
