// Tests for normalizeQuestion: examples of what must match, and fast-check properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeQuestion } from '../../../runtime/core/learner/normalize-question.js';

describe('normalizeQuestion', () => {
  it('matches the spelling variants of one question', () => {
    const key = 'what does blorvantic mean';
    for (const variant of [
      'What does Blorvantic mean?',
      'what does  blorvantic mean',
      '  WHAT does\tblorvantic\nmean?!  ',
      'What does Blorvantic mean...',
      'What does Blorvantic mean？', // full-width question mark (NFKC)
      'Ｗｈａｔ does Blorvantic mean', // full-width letters (NFKC)
      '“What does Blorvantic mean?”',
      '¿What does Blorvantic mean?',
      'What does Blor\u200Bvantic mean', // zero-width space
    ]) {
      expect(normalizeQuestion(variant), variant).toBe(key);
    }
  });

  it('straightens curly quotes inside the question', () => {
    expect(normalizeQuestion('What’s a “widget”?')).toBe(normalizeQuestion("what's a \"widget\""));
    expect(normalizeQuestion('What’s a “widget”?')).toBe('what\'s a "widget');
  });

  it('keeps brackets, symbols and inner punctuation', () => {
    expect(normalizeQuestion('What is C++?')).toBe('what is c++');
    expect(normalizeQuestion('What is C#?')).toBe('what is c#');
    expect(normalizeQuestion('What is f(x)?')).toBe('what is f(x)');
    expect(normalizeQuestion('What does e.g. mean?')).toBe('what does e.g. mean');
  });

  it('gives the empty string for blank or punctuation-only text', () => {
    expect(normalizeQuestion('')).toBe('');
    expect(normalizeQuestion('  \n ')).toBe('');
    expect(normalizeQuestion('?!...')).toBe('');
  });

  it('is idempotent on any Unicode text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        const once = normalizeQuestion(text);
        expect(normalizeQuestion(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent on question-like text with case, spacing and punctuation noise', () => {
    const piece = fc.constantFrom('What', 'does', 'BLORVANTIC', 'mean', '?', '!', '.', ' ', '  ', '\t', '“', '”', '’', 'é', 'e\u0301', 'ﬁ', 'İ', 'ß', '\u200B');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), (pieces) => {
        const once = normalizeQuestion(pieces.join(''));
        expect(normalizeQuestion(once)).toBe(once);
        expect(once).toBe(once.trim());
        expect(once).not.toMatch(/\s{2}|[?!.]$/);
      }),
      { numRuns: 2000 },
    );
  });
});
