// WindowedDecodeStream: any tokenizer's text, token by token, by decoding a short window around the newest token.
import type { TextTokenizer } from './text-tokenizer.js';

const replacementCharacter = '\uFFFD';

/**
 * Byte-level BPE tokens can end in the middle of a multi-byte character, and decoders such as
 * SentencePiece's drop a window's leading space: the newest text is decode(window) minus
 * decode(window before the newest tokens), held back while it ends in U+FFFD. Decoding from the
 * last emitted boundary keeps each step O(window), not O(answer).
 */
export class WindowedDecodeStream {
  private readonly ids: number[] = [];
  private prefixOffset = 0;
  private readOffset = 0;

  constructor(
    private readonly tokenizer: TextTokenizer,
    private readonly skipSpecialTokens: boolean,
  ) {}

  push(id: number): string {
    this.ids.push(id);
    const prefixText = this.decode(this.ids.slice(this.prefixOffset, this.readOffset));
    const fullText = this.decode(this.ids.slice(this.prefixOffset));
    if (fullText.length > prefixText.length && !fullText.endsWith(replacementCharacter)) {
      this.prefixOffset = this.readOffset;
      this.readOffset = this.ids.length;
      return fullText.slice(prefixText.length);
    }
    return '';
  }

  /** Whatever is still held back (an incomplete sequence at the very end decodes as U+FFFD). */
  flush(): string {
    const prefixText = this.decode(this.ids.slice(this.prefixOffset, this.readOffset));
    const fullText = this.decode(this.ids.slice(this.prefixOffset));
    this.prefixOffset = this.readOffset = this.ids.length;
    return fullText.slice(prefixText.length);
  }

  private decode(ids: number[]): string {
    return ids.length === 0 ? '' : this.tokenizer.decode(ids, { skipSpecialTokens: this.skipSpecialTokens });
  }
}
