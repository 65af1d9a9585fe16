// IncrementalDecoder: turns a stream of token ids into text deltas without ever splitting a UTF-8 sequence.
import type { TextTokenizer } from './text-tokenizer.js';

const replacementCharacter = '\uFFFD';

/**
 * Streaming-safe decoding. Byte-level BPE tokens can end in the middle of a multi-byte character;
 * decoding such a prefix gives U+FFFD, so text is held back until the character is complete.
 * Decoding a short window (from the last emitted boundary) keeps each step O(window), not O(answer).
 */
export class IncrementalDecoder {
  private readonly ids: number[] = [];
  private prefixOffset = 0;
  private readOffset = 0;
  private emitted = '';

  constructor(
    private readonly tokenizer: TextTokenizer,
    private readonly options: { skipSpecialTokens?: boolean } = { skipSpecialTokens: true },
  ) {}

  /** Adds one token; returns the text that is now complete (often '', never a broken character). */
  push(id: number): string {
    this.ids.push(id);
    const prefixText = this.decode(this.ids.slice(this.prefixOffset, this.readOffset));
    const fullText = this.decode(this.ids.slice(this.prefixOffset));
    if (fullText.length > prefixText.length && !fullText.endsWith(replacementCharacter)) {
      const delta = fullText.slice(prefixText.length);
      this.prefixOffset = this.readOffset;
      this.readOffset = this.ids.length;
      this.emitted += delta;
      return delta;
    }
    return '';
  }

  /** Whatever is still held back (an incomplete sequence at the very end decodes as U+FFFD). */
  flush(): string {
    const prefixText = this.decode(this.ids.slice(this.prefixOffset, this.readOffset));
    const fullText = this.decode(this.ids.slice(this.prefixOffset));
    const delta = fullText.slice(prefixText.length);
    this.prefixOffset = this.readOffset = this.ids.length;
    this.emitted += delta;
    return delta;
  }

  /** All text emitted so far. */
  get text(): string {
    return this.emitted;
  }

  private decode(ids: number[]): string {
    return ids.length === 0 ? '' : this.tokenizer.decode(ids, this.options);
  }
}
