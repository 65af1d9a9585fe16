// IncrementalDecoder: streamed text equals the full decode and never contains a broken character.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextTokenizer } from '../../../runtime/core/tokenizer/text-tokenizer.js';
import { IncrementalDecoder } from '../../../runtime/core/tokenizer/incremental-decoder.js';
import { lexiconDirectory } from '../../support/lexicon-model.js';

const read = (name: string) => JSON.parse(readFileSync(`${lexiconDirectory}${name}`, 'utf8'));
const tokenizer = TextTokenizer.fromJson(read('tokenizer.json'), read('tokenizer_config.json'));

function stream(ids: number[]): string[] {
  const decoder = new IncrementalDecoder(tokenizer);
  const deltas = ids.map((id) => decoder.push(id));
  deltas.push(decoder.flush());
  return deltas;
}

describe('IncrementalDecoder', () => {
  it('holds back multi-byte characters split across byte-level tokens', () => {
    const text = 'emoji 🚀🔥 family 👨‍👩‍👧 中文 café';
    const ids = tokenizer.encode(text);
    expect(ids.length).toBeGreaterThan([...text].length / 2);
    const deltas = stream(ids);
    expect(deltas.join('')).toBe(tokenizer.decode(ids));
    for (const delta of deltas) expect(delta).not.toContain('\uFFFD');
  });

  it('streams any unicode text exactly (property test)', () => {
    fc.assert(
      // Without U+FFFD in the text itself: the check is that streaming never adds one.
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }).filter((text) => !text.includes('\uFFFD')), (text) => {
        const ids = tokenizer.encode(text);
        const deltas = stream(ids);
        expect(deltas.join('')).toBe(tokenizer.decode(ids, { skipSpecialTokens: true }));
        for (const delta of deltas.slice(0, -1)) expect(delta).not.toContain('\uFFFD');
      }),
      { numRuns: 300 },
    );
  });

  it('skips special tokens in the streamed text', () => {
    const ids = tokenizer.encode('<|assistant|>river<|end|>');
    expect(stream(ids).join('')).toBe('river');
  });
});
