// Test support: the built-in lexicon-tiny model and its eval sets, loaded once per test file.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LanguageModel } from '../../runtime/core/model/language-model.js';
import type { ModelDtype } from '../../runtime/core/model/model-dtype.js';
import { parseWordEvalSet, type WordEntry } from '../../runtime/core/eval/word-eval-set.js';
import { loadModelDirectory } from '../../runtime/node/load-model-directory.js';

export const lexiconDirectory = fileURLToPath(new URL('../../models/lexicon-tiny/', import.meta.url));

const loaded = new Map<ModelDtype, Promise<LanguageModel>>();

/** lexicon-tiny on the WASM engine, shared by the tests of one file. */
export function lexiconModel(dtype: ModelDtype = 'q8'): Promise<LanguageModel> {
  if (!loaded.has(dtype)) loaded.set(dtype, loadModelDirectory(lexiconDirectory, { dtype, id: 'lexicon-tiny' }));
  return loaded.get(dtype)!;
}

/** An eval set of the model card: `known` (500 learned words) or `nonsense` (500 made-up words). */
export function evalSet(name: 'known' | 'nonsense'): WordEntry[] {
  return parseWordEvalSet(readFileSync(`${lexiconDirectory}eval/${name}.jsonl`, 'utf8'));
}

/** How many eval words a test uses: a CI-sized sample by default, all with NEXUS_EVAL_FULL=1. */
export function evalSampleSize(ciSize: number): number {
  return process.env.NEXUS_EVAL_FULL === '1' ? Number.POSITIVE_INFINITY : ciSize;
}

/** Every n-th entry so a sample spreads over the whole set, not its first lines. */
export function spreadSample<T>(items: readonly T[], size: number): T[] {
  if (size >= items.length) return [...items];
  const step = items.length / size;
  return Array.from({ length: size }, (_, i) => items[Math.floor(i * step)]);
}
