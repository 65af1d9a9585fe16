// IncrementalDecoder: turns a stream of token ids into text deltas without ever splitting a UTF-8 sequence.
import type { TextTokenizer } from './text-tokenizer.js';
import { ByteLevelStream } from './byte-level-stream.js';
import { WindowedDecodeStream } from './windowed-decode-stream.js';

/**
 * Streaming-safe decoding: text is held back until its character is complete, and the deltas join
 * to the tokenizer's decode of all the ids. A tokenizer whose decoding is a plain ByteLevel decoder
 * with clean-up off (lexicon-tiny's, and byte-level BPE tokenizers configured so) streams from
 * per-token pieces; any other re-decodes a short window per token.
 */
export class IncrementalDecoder {
  private readonly stream: ByteLevelStream | WindowedDecodeStream;
  private emitted = '';

  constructor(tokenizer: TextTokenizer, options: { skipSpecialTokens?: boolean } = { skipSpecialTokens: true }) {
    const skipSpecialTokens = options.skipSpecialTokens ?? false;
    const pieces = tokenizer.byteLevelPieces;
    this.stream = pieces ? new ByteLevelStream(pieces, skipSpecialTokens) : new WindowedDecodeStream(tokenizer, skipSpecialTokens);
  }

  /** Adds one token; returns the text that is now complete (often '', never a broken character). */
  push(id: number): string {
    const delta = this.stream.push(id);
    this.emitted += delta;
    return delta;
  }

  /** Whatever is still held back (an incomplete sequence at the very end decodes as U+FFFD). */
  flush(): string {
    const delta = this.stream.flush();
    this.emitted += delta;
    return delta;
  }

  /** All text emitted so far. */
  get text(): string {
    return this.emitted;
  }
}
