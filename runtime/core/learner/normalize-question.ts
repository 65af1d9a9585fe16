// normalizeQuestion: the lookup key of a question, so that spelling noise does not defeat memory.

/** Invisible characters that only break matching (zero-width space, word joiner, BOM, soft hyphen). */
const INVISIBLE = /[\u200B\u2060\uFEFF\u00AD]/g;
const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B`]/g;
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u00AB\u00BB]/g;
/**
 * What is stripped around a question: whitespace, sentence punctuation and quotes. Brackets and
 * symbols stay (`f(x)`, `c++`, `c#` keep their meaning).
 */
const EDGE = `\\s.,;:!?¿¡…"'\u3002\u3001`;
const LEADING = new RegExp(`^[${EDGE}]+`, 'u');
const TRAILING = new RegExp(`[${EDGE}]+$`, 'u');

/**
 * The normalized form of a question: Unicode NFKC, lowercase, invisible characters removed, curly
 * quotes made straight, whitespace collapsed to single spaces, and the surrounding punctuation
 * (including a trailing `?`, `.` or `!`) stripped. So "What does “Blorvantic” mean?" and
 * `what does  "blorvantic" mean` give the same key. Idempotent: normalizing a key returns it.
 */
export function normalizeQuestion(text: string): string {
  const folded = text.replace(INVISIBLE, '').normalize('NFKC').toLowerCase().normalize('NFKC');
  return folded
    .replace(SINGLE_QUOTES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .replace(/\s+/gu, ' ')
    .replace(LEADING, '')
    .replace(TRAILING, '');
}
