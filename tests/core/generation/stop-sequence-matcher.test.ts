// Tests for StopSequenceMatcher: stops split across deltas, held-back prefixes, multiple/overlapping stops, and a streaming property.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StopSequenceMatcher } from '../../../runtime/core/generation/stop-sequence-matcher.js';

/** Feeds deltas until a stop; returns everything emitted (plus the flush when no stop) and whether it stopped. */
function stream(stops: readonly string[], deltas: readonly string[]): { text: string; stopped: boolean; stoppedAt: number } {
  const matcher = new StopSequenceMatcher(stops);
  let text = '';
  for (let i = 0; i < deltas.length; i++) {
    const { emit, stopped } = matcher.push(deltas[i]);
    text += emit;
    if (stopped) return { text, stopped: true, stoppedAt: i };
  }
  return { text: text + matcher.flush(), stopped: false, stoppedAt: -1 };
}

/** Cuts `text` at the given (sorted, deduplicated) positions. */
function chop(text: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const at of points) {
    pieces.push(text.slice(from, at));
    from = at;
  }
  pieces.push(text.slice(from));
  return pieces;
}

describe('StopSequenceMatcher', () => {
  it('finds a stop string split across deltas ("str" + "eam")', () => {
    const matcher = new StopSequenceMatcher(['stream']);
    expect(matcher.push('a str')).toEqual({ emit: 'a ', stopped: false });
    expect(matcher.push('eam and more')).toEqual({ emit: '', stopped: true });
  });

  it('emits the text before a stop found inside one delta, and nothing after', () => {
    const matcher = new StopSequenceMatcher(['</s>']);
    expect(matcher.push('hello</s>world')).toEqual({ emit: 'hello', stopped: true });
  });

  it('holds back a possible prefix and releases it when it turns out not to be a stop', () => {
    const matcher = new StopSequenceMatcher(['stream']);
    expect(matcher.push('up')).toEqual({ emit: 'up', stopped: false });
    expect(matcher.push('str')).toEqual({ emit: '', stopped: false });
    expect(matcher.push('e')).toEqual({ emit: '', stopped: false });
    expect(matcher.push('et')).toEqual({ emit: 'street', stopped: false });
    expect(matcher.flush()).toBe('');
  });

  it('flush returns the held-back tail at the end of the answer, once', () => {
    const matcher = new StopSequenceMatcher(['\nUser:']);
    expect(matcher.push('done.\nUs')).toEqual({ emit: 'done.', stopped: false });
    expect(matcher.flush()).toBe('\nUs');
    expect(matcher.flush()).toBe('');
  });

  it('with several stops the earliest occurrence wins', () => {
    const matcher = new StopSequenceMatcher(['END', 'STOP']);
    expect(matcher.push('abc STOP def END')).toEqual({ emit: 'abc ', stopped: true });
    const other = new StopSequenceMatcher(['STOP', 'END']);
    expect(other.push('x END y STOP')).toEqual({ emit: 'x ', stopped: true });
  });

  it('holds back the longest prefix of any stop', () => {
    const matcher = new StopSequenceMatcher(['ab', 'xyz']);
    expect(matcher.push('-xy')).toEqual({ emit: '-', stopped: false });
    expect(matcher.push('a')).toEqual({ emit: 'xy', stopped: false });
    expect(matcher.push('b')).toEqual({ emit: '', stopped: true });
  });

  it('handles overlapping prefixes (stop "aab" in "aaab")', () => {
    const matcher = new StopSequenceMatcher(['aab']);
    expect(matcher.push('a')).toEqual({ emit: '', stopped: false });
    expect(matcher.push('a')).toEqual({ emit: '', stopped: false });
    expect(matcher.push('a')).toEqual({ emit: 'a', stopped: false });
    expect(matcher.push('b')).toEqual({ emit: '', stopped: true });
  });

  it('handles stops that are prefixes of one another', () => {
    expect(stream(['abc', 'ab'], ['x', 'a', 'bc'])).toEqual({ text: 'x', stopped: true, stoppedAt: 2 });
    expect(stream(['abcd', 'bc'], ['xabcd'])).toEqual({ text: 'x', stopped: true, stoppedAt: 0 });
  });

  it('with no stops configured passes every delta straight through', () => {
    const matcher = new StopSequenceMatcher([]);
    for (const delta of ['a', '', 'stream', '</s>']) expect(matcher.push(delta)).toEqual({ emit: delta, stopped: false });
    expect(matcher.flush()).toBe('');
  });

  it('empty deltas are harmless', () => {
    expect(stream(['END'], ['', 'E', '', 'N', '', 'D'])).toEqual({ text: '', stopped: true, stoppedAt: 5 });
    expect(stream(['END'], ['', 'ok', ''])).toEqual({ text: 'ok', stopped: false, stoppedAt: -1 });
  });

  it('handles non-ASCII text', () => {
    expect(stream(['。終'], ['こんにちは', '。', '終わり'])).toEqual({ text: 'こんにちは', stopped: true, stoppedAt: 2 });
  });

  it('property: random text, random deltas, one random stop → text up to the stop (or all of it)', () => {
    const alphabet = fc.constantFrom('a', 'b', 'c', ' ');
    const textArb = fc.array(alphabet, { maxLength: 60 }).map((chars) => chars.join(''));
    const stopArb = fc.array(alphabet, { minLength: 1, maxLength: 4 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(textArb, stopArb, fc.array(fc.nat(), { maxLength: 20 }), (text, stop, cuts) => {
        const result = stream([stop], chop(text, cuts));
        const at = text.indexOf(stop);
        expect(result.stopped).toBe(at !== -1);
        expect(result.text).toBe(at === -1 ? text : text.slice(0, at));
      }),
      { numRuns: 500 },
    );
  });

  it('property: emitted text never gets ahead of what could still be a stop (no stop text leaks)', () => {
    const alphabet = fc.constantFrom('x', 'y', 'z');
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 40 }).map((c) => c.join('')),
        fc.array(fc.array(alphabet, { minLength: 1, maxLength: 3 }).map((c) => c.join('')), { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(), { maxLength: 15 }),
        (text, stops, cuts) => {
          const result = stream(stops, chop(text, cuts));
          for (const stop of stops) expect(result.text.includes(stop)).toBe(false);
          expect(text.startsWith(result.text)).toBe(true);
          if (!result.stopped) expect(result.text).toBe(text);
          // In one delta, the earliest-starting stop wins.
          const whole = stream(stops, [text]);
          const starts = stops.map((s) => text.indexOf(s)).filter((i) => i !== -1);
          expect(whole.text).toBe(starts.length ? text.slice(0, Math.min(...starts)) : text);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('StopSequenceMatcher edge cases', () => {
  it('ignores empty stop strings', () => {
    const matcher = new StopSequenceMatcher(['', 'end']);
    expect(matcher.push('hello ')).toEqual({ emit: 'hello ', stopped: false });
    expect(matcher.push('the end')).toEqual({ emit: 'the ', stopped: true });
  });
});
