// IncrementalDecoder: streamed text equals the full decode and never contains a broken character, from byte-level pieces or re-decoded windows.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextTokenizer } from '../../../runtime/core/tokenizer/text-tokenizer.js';
import { IncrementalDecoder } from '../../../runtime/core/tokenizer/incremental-decoder.js';
import { lexiconDirectory } from '../../support/lexicon-model.js';

const read = (name: string) => JSON.parse(readFileSync(`${lexiconDirectory}${name}`, 'utf8'));
const tokenizerJson = read('tokenizer.json');
const tokenizerConfig = read('tokenizer_config.json');
const tokenizer = TextTokenizer.fromJson(tokenizerJson, tokenizerConfig);
/** The same decoding through a Sequence decoder: not a plain ByteLevel decoder, so it streams by windows. */
const windowedTokenizer = TextTokenizer.fromJson({ ...tokenizerJson, decoder: { type: 'Sequence', decoders: [tokenizerJson.decoder] } }, tokenizerConfig);
/** <|user|> as an added token that is not special (in neither file): kept as written, and it ends the run of bytes before it. */
const withPlainAddedToken = TextTokenizer.fromJson(
  { ...tokenizerJson, added_tokens: tokenizerJson.added_tokens.map((token: { content: string }) => (token.content === '<|user|>' ? { ...token, special: false } : token)) },
  { ...tokenizerConfig, additional_special_tokens: tokenizerConfig.additional_special_tokens.filter((token: string) => token !== '<|user|>') },
);

function stream(ids: number[], over = tokenizer, skipSpecialTokens = true): string[] {
  const decoder = new IncrementalDecoder(over, { skipSpecialTokens });
  const deltas = ids.map((id) => decoder.push(id));
  deltas.push(decoder.flush());
  expect(decoder.text).toBe(deltas.join(''));
  return deltas;
}

/** Ids of tokens that hold part of a multi-byte character (their bytes alone are not valid UTF-8). */
const partialCharacterIds = Array.from({ length: tokenizer.vocabSize }, (_, id) => id).filter((id) => tokenizer.decode([id]).includes('\uFFFD'));

describe.each([
  ['byte-level pieces', tokenizer],
  ['re-decoded windows', windowedTokenizer],
])('IncrementalDecoder from %s', (_, over) => {
  it('takes the strategy its name says', () => {
    expect(over.byteLevelPieces !== undefined).toBe(over === tokenizer);
  });

  it('holds back multi-byte characters split across byte-level tokens', () => {
    const text = 'emoji 🚀🔥 family 👨‍👩‍👧 中文 café';
    const ids = over.encode(text);
    expect(ids.length).toBeGreaterThan([...text].length / 2);
    const deltas = stream(ids, over);
    expect(deltas.join('')).toBe(over.decode(ids));
    for (const delta of deltas) expect(delta).not.toContain('\uFFFD');
  });

  it('streams any unicode text exactly (property test)', () => {
    fc.assert(
      // Without U+FFFD in the text itself: the check is that streaming never adds one.
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }).filter((text) => !text.includes('\uFFFD')), (text) => {
        const ids = over.encode(text);
        const deltas = stream(ids, over);
        expect(deltas.join('')).toBe(over.decode(ids, { skipSpecialTokens: true }));
        for (const delta of deltas.slice(0, -1)) expect(delta).not.toContain('\uFFFD');
      }),
      { numRuns: 300 },
    );
  });

  it('skips special tokens in the streamed text, or keeps them when asked', () => {
    const ids = over.encode('<|assistant|>river<|end|>');
    expect(stream(ids, over).join('')).toBe('river');
    expect(stream(ids, over, false).join('')).toBe('<|assistant|>river<|end|>');
  });
});

describe('IncrementalDecoder from byte-level pieces', () => {
  it('lexicon-tiny has partial-character tokens to test with', () => {
    expect(partialCharacterIds.length).toBeGreaterThan(20);
  });

  it('joins to exactly the full decode for any id sequence: broken bytes, specials, unknown ids (property test)', () => {
    const anyId = fc.oneof(
      fc.integer({ min: 0, max: tokenizer.vocabSize - 1 }),
      fc.constantFrom(...partialCharacterIds),
      fc.constantFrom(0, 1, 2, 3),
      fc.integer({ min: tokenizer.vocabSize, max: tokenizer.vocabSize + 100 }),
    );
    fc.assert(
      fc.property(fc.array(anyId, { maxLength: 30 }), fc.boolean(), (ids, skipSpecialTokens) => {
        const expected = ids.length === 0 ? '' : tokenizer.decode(ids, { skipSpecialTokens });
        expect(stream(ids, tokenizer, skipSpecialTokens).join('')).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps a non-special added token as written and decodes the bytes before it on their own', () => {
    expect(withPlainAddedToken.byteLevelPieces).toBeDefined();
    const firstHalf = withPlainAddedToken.encode('é').slice(0, 1);
    const ids = [...withPlainAddedToken.encode('café '), ...firstHalf, 1, ...withPlainAddedToken.encode('river'), 3];
    const deltas = stream(ids, withPlainAddedToken);
    expect(deltas.join('')).toBe(withPlainAddedToken.decode(ids, { skipSpecialTokens: true }));
    expect(deltas.join('')).toContain('\uFFFD<|user|>river');
  });

  it('is used only where decoding is a plain ByteLevel decoder without clean-up', () => {
    const { clean_up_tokenization_spaces: _, ...configWithoutCleanUpKey } = tokenizerConfig;
    expect(TextTokenizer.fromJson(tokenizerJson, configWithoutCleanUpKey).byteLevelPieces).toBeUndefined();
    expect(TextTokenizer.fromJson(tokenizerJson, { ...tokenizerConfig, clean_up_tokenization_spaces: true }).byteLevelPieces).toBeUndefined();
    expect(TextTokenizer.fromJson({ ...tokenizerJson, model: { ...tokenizerJson.model, end_of_word_suffix: '</w>' } }, tokenizerConfig).byteLevelPieces).toBeUndefined();
  });
});
