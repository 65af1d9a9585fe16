// Parity: our tokenizer gives the same ids as transformers.js' AutoTokenizer on the same files.
import { readFileSync } from 'node:fs';
import { describe, expect, it, beforeAll } from 'vitest';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { TextTokenizer } from '../../../runtime/core/tokenizer/text-tokenizer.js';
import { lexiconDirectory, evalSet } from '../../support/lexicon-model.js';

const samples = [
  'What does harbor mean?',
  'Define river.',
  '<|user|>What does river mean?<|end|><|assistant|>',
  '  leading and trailing spaces  ',
  'tabs\tand\nnewlines\r\n',
  'Ünïcödé àccents café naïve façade',
  'emoji 🚀🔥 and family 👨‍👩‍👧‍👦 and flags 🇩🇪🇯🇵',
  '中文字符 日本語のテキスト 한국어',
  'Ελληνικά и русский текст',
  'math ∑∫√∞ ≠ ≤ ≥ and arrows → ⇒',
  'numbers 1234567890 3.14159 -42 1e10',
  "quotes 'single' \"double\" `back` «guillemets»",
  'code: function f(x) { return x ** 2; } // comment',
  'URL https://example.com/path?query=1&b=2#frag',
  'repeated!!!??? .... ---- ____',
  '',
  ' ',
  'a',
  'zero\u200bwidth\u200djoiner',
  'combining e\u0301 vs é',
  '\u{1F600}\u{1F601}\u{1F602}\u{1F923}',
  'mixed<|end|>special<|user|>tokens inside',
];

describe('tokenizer parity with @huggingface/transformers', () => {
  let ours: TextTokenizer;
  let reference: Awaited<ReturnType<typeof AutoTokenizer.from_pretrained>>;

  beforeAll(async () => {
    env.allowRemoteModels = false;
    env.localModelPath = lexiconDirectory.replace(/lexicon-tiny\/$/, '');
    reference = await AutoTokenizer.from_pretrained('lexicon-tiny');
    const read = (name: string) => JSON.parse(readFileSync(`${lexiconDirectory}${name}`, 'utf8'));
    ours = TextTokenizer.fromJson(read('tokenizer.json'), read('tokenizer_config.json'));
  });

  it('encodes hand-picked strings (unicode, emoji, special tokens) to the same ids', () => {
    for (const text of samples) {
      expect(ours.encode(text), JSON.stringify(text)).toEqual(reference.encode(text, { add_special_tokens: false }));
    }
  });

  it('encodes 1000 eval-set questions to the same ids and decodes them back', () => {
    const words = [...evalSet('known'), ...evalSet('nonsense')].map((entry) => entry.word);
    for (const word of words) {
      const text = `What is the meaning of ${word}? ${word.toUpperCase()}`;
      const ids = ours.encode(text);
      expect(ids).toEqual(reference.encode(text, { add_special_tokens: false }));
      expect(ours.decode(ids)).toBe(reference.decode(ids));
    }
  });

  it('renders the chat template exactly as apply_chat_template does', () => {
    const messages = [
      { role: 'user' as const, content: 'What does river mean?' },
      { role: 'assistant' as const, content: 'river (noun): a large natural stream of water (larger than a creek).' },
      { role: 'user' as const, content: 'Define harbor.' },
    ];
    for (const addGenerationPrompt of [true, false]) {
      const expected = reference.apply_chat_template(messages, { tokenize: false, add_generation_prompt: addGenerationPrompt });
      expect(ours.applyChatTemplate(messages, { addGenerationPrompt })).toBe(expected);
    }
    expect(ours.applyChatTemplate([{ role: 'user', content: 'What does river mean?' }], { addGenerationPrompt: true })).toBe(
      '<|user|>What does river mean?<|end|><|assistant|>',
    );
  });

  it('knows the special tokens', () => {
    expect(ours.eosTokenId).toBe(3);
    expect(ours.tokenToId('<|user|>')).toBeDefined();
    expect(ours.specialTokenIds.has(3)).toBe(true);
    expect(ours.decode(ours.encode('<|user|>hi<|end|>'), { skipSpecialTokens: true })).toBe('hi');
  });
});
