// utf8TailMayBeIncomplete: never false while a streaming TextDecoder still holds bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8TailMayBeIncomplete } from '../../../runtime/core/tokenizer/utf8-tail.js';

/** Whether a fresh streaming decoder holds bytes back after `bytes`. */
function decoderHolds(bytes: Uint8Array): boolean {
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  decoder.decode(bytes, { stream: true });
  return decoder.decode() !== '';
}

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('utf8TailMayBeIncomplete', () => {
  it('answers for whole and cut characters', () => {
    expect(utf8TailMayBeIncomplete(utf8('café'))).toBe(false);
    expect(utf8TailMayBeIncomplete(utf8('🚀'))).toBe(false);
    expect(utf8TailMayBeIncomplete(utf8('🚀').subarray(0, 3))).toBe(true);
    expect(utf8TailMayBeIncomplete(utf8('é').subarray(0, 1))).toBe(true);
    expect(utf8TailMayBeIncomplete(new Uint8Array(0))).toBe(false);
    expect(utf8TailMayBeIncomplete(Uint8Array.of(0x80, 0x80, 0x80, 0x80))).toBe(false);
  });

  it('is true whenever the decoder holds bytes (property test over any bytes)', () => {
    const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0x80, max: 0xbf }), fc.constantFrom(0xc2, 0xe0, 0xe2, 0xed, 0xf0, 0xf4));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), fc.array(byte, { maxLength: 6 }), (head, tail) => {
        const bytes = Uint8Array.from([...head, ...tail]);
        if (decoderHolds(bytes)) expect(utf8TailMayBeIncomplete(bytes)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
});
