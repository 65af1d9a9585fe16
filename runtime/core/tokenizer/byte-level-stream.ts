// ByteLevelStream: a ByteLevel tokenizer's text, token by token, from its pieces instead of by re-decoding windows.
import type { ByteLevelPieces } from './byte-level-pieces.js';
import { utf8TailMayBeIncomplete } from './utf8-tail.js';

/** The most bytes a streaming UTF-8 decoder holds back, plus one. */
const tailBytes = 4;

/**
 * A token whose bytes are whole characters adds its cached text; a token that splits a character
 * goes through one streaming TextDecoder until the character is complete, so a delta never holds
 * half a character and the deltas join to exactly what decoding every id at once gives.
 */
export class ByteLevelStream {
  /** Made for the first token that splits a character: constructing one costs ~25 µs in the decode loop. */
  private utf8: TextDecoder | undefined;
  /** The last bytes fed to `utf8` since it last held nothing. */
  private tail: number[] = [];
  private holding = false;

  constructor(
    private readonly pieces: ByteLevelPieces,
    private readonly skipSpecialTokens: boolean,
  ) {}

  push(id: number): string {
    const piece = this.pieces.piece(id, this.skipSpecialTokens);
    if (piece.kind === 'skip') return '';
    if (piece.kind === 'text') return this.flush() + piece.text;
    if (!this.holding && piece.text !== undefined) return piece.text;
    this.utf8 ??= new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
    const text = this.utf8.decode(piece.bytes, { stream: true });
    if (!this.holding) this.tail = [];
    for (const byte of piece.bytes) this.tail.push(byte);
    if (this.tail.length > tailBytes) this.tail.splice(0, this.tail.length - tailBytes);
    this.holding = utf8TailMayBeIncomplete(this.tail);
    return text;
  }

  /** Ends the run of bytes: a character still incomplete decodes as U+FFFD, as in a whole decode. */
  flush(): string {
    this.holding = false;
    this.tail = [];
    return this.utf8?.decode() ?? '';
  }
}
