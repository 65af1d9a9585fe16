// jsonWithTextSlot: the same bytes as JSON.stringify for any text, whatever the other fields hold.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonWithTextSlot } from '../../../runtime/node/http/json-text-slot.js';

const chunkOf = (id: string, model: string) => (text: string) =>
  JSON.stringify({ id, object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta: { content: text }, logprobs: null, finish_reason: null }] });

describe('jsonWithTextSlot', () => {
  it('gives JSON.stringify’s bytes for any text and any earlier strings (property test)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (id, model, text) => {
        const render = chunkOf(id, model);
        expect(jsonWithTextSlot(render)(text)).toBe(render(text));
      }),
      { numRuns: 500 },
    );
  });

  it('holds for a NUL, quotes, backslashes and lone surrogates in the text and before it', () => {
    // An earlier string that is a NUL, or ends in a quote and a NUL, has the placeholder's JSON in it too.
    for (const [id, model] of [['a\u0000"\\', 'm\u0000'], ['\u0000', 'x"\u0000']]) {
      const render = chunkOf(id, model);
      for (const text of ['', '\u0000', '"\\', '\ud800', 'river (noun): a stream\n']) expect(jsonWithTextSlot(render)(text)).toBe(render(text));
    }
  });

  it('refuses a render that leaves the text out', () => {
    expect(() => jsonWithTextSlot(() => '{}')).toThrow(/does not contain the text/);
  });
});
