// Shared by benchmark legs: where the benchmark model lives and the prompt ids every leg feeds.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TextTokenizer } from '../../../runtime/core/tokenizer/text-tokenizer.js';
import { onnxFilesByDtype } from '../../../runtime/core/model/model-dtype.js';

export const benchModelDirectory = fileURLToPath(new URL('../../../models/lexicon-tiny/', import.meta.url));

export function benchModelFile(dtype: 'q4' | 'q8' | 'fp32'): string {
  return `${benchModelDirectory}${onnxFilesByDtype[dtype][0]}`;
}

/** The chat prompt rendered and tokenized by our tokenizer (identical ids to transformers.js, see the parity test). */
export function benchPromptIds(prompt: string): number[] {
  const read = (name: string) => JSON.parse(readFileSync(`${benchModelDirectory}${name}`, 'utf8'));
  const tokenizer = TextTokenizer.fromJson(read('tokenizer.json'), read('tokenizer_config.json'));
  return tokenizer.encode(tokenizer.applyChatTemplate([{ role: 'user', content: prompt }], { addGenerationPrompt: true }));
}
