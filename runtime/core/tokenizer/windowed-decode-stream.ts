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
    const newest = this.newestText();
    if (newest === '' || newest.endsWith(replacementCharacter)) return '';
    this.prefixOffset = this.readOffset;
    this.readOffset = this.ids.length;
    return newest;
  }

  /** Whatever is still held back (an incomplete sequence at the very end decodes as U+FFFD). */
  flush(): string {
    const newest = this.newestText();
    this.prefixOffset = this.readOffset = this.ids.length;
    return newest;
  }

  /** decode(window) minus decode(window before the unread tokens): '' where the window's text got no longer. */
  private newestText(): string {
    const prefixText = this.decode(this.ids.slice(this.prefixOffset, this.readOffset));
    return this.decode(this.ids.slice(this.prefixOffset)).slice(prefixText.length);
  }

  private decode(ids: number[]): string {
    return ids.length === 0 ? '' : this.tokenizer.decode(ids, { skipSpecialTokens: this.skipSpecialTokens });
  }
}
