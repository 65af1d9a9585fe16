// Word eval sets: lexicon-tiny's known.jsonl / nonsense.jsonl lines, and the questions asked about them.
import { NexusError } from '../nexus-error.js';

export interface WordEntry {
  word: string;
  pos?: string;
  gloss?: string;
}

/** Parses a JSONL eval set (one `{"word": ...}` object per line); a bad line is named. */
export function parseWordEvalSet(jsonl: string): WordEntry[] {
  return jsonl
    .split('\n')
    .map((line, index) => ({ line: line.trim(), index }))
    .filter(({ line }) => line !== '')
    .map(({ line, index }) => {
      let entry: unknown;
      try {
        entry = JSON.parse(line);
      } catch {
        throw new NexusError('BAD_REQUEST', { field: `line ${index + 1}`, reason: 'is not valid JSON' });
      }
      if (!entry || typeof (entry as WordEntry).word !== 'string') throw new NexusError('BAD_REQUEST', { field: `line ${index + 1}`, reason: 'has no "word"' });
      return entry as WordEntry;
    });
}

/** The question the model card's main phrasing asks about a word. */
export function definitionQuestion(word: string): string {
  return `What does ${word} mean?`;
}

/** The answer the model was trained to give: `word (pos): gloss.` */
export function expectedDefinition(entry: WordEntry): string {
  return `${entry.word} (${entry.pos}): ${entry.gloss}.`;
}
