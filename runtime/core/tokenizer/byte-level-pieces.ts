// ByteLevelPieces: what each token adds to the text under a ByteLevel decoder, so streaming needs no re-decoding.

type JsonObject = Record<string, unknown>;

/** What one token contributes to decoded text. */
export type TokenPiece =
  /** Left out (a special token while special tokens are skipped). */
  | { kind: 'skip' }
  /** An added token: its content as written, after the bytes before it are decoded on their own. */
  | { kind: 'text'; text: string }
  /** Bytes of the UTF-8 stream; `text` when they are whole characters on their own. */
  | { kind: 'bytes'; bytes: Uint8Array; text: string | undefined };

/** GPT-2's byte ↔ printable-character table, reversed: the character a byte was written as → the byte. */
function unicodeToBytes(): Map<string, number> {
  const bytes: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) bytes.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bytes.push(b);
  for (let b = 0xae; b <= 0xff; b++) bytes.push(b);
  const characters = bytes.slice();
  let shifted = 0;
  for (let b = 0; b < 256; b++) {
    if (bytes.includes(b)) continue;
    bytes.push(b);
    characters.push(256 + shifted++);
  }
  return new Map(bytes.map((byte, i) => [String.fromCharCode(characters[i]), byte]));
}

let sharedUnicodeToBytes: Map<string, number> | undefined;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null;
}

/**
 * The pieces of a tokenizer whose decoding is a ByteLevel decoder and nothing else, made on first
 * use per token. They reproduce @huggingface/tokenizers' decode exactly: tokens map to their
 * strings, special tokens are dropped by string when skipped, an added token's content is kept as
 * written and ends the run of bytes before it, and every other token's characters are bytes of one
 * UTF-8 run decoded leniently. Re-decoding a window through the library takes ~1 µs warm, but
 * between engine steps (caches evicted) it took 12–48 µs a token; a piece is one lookup.
 */
export class ByteLevelPieces {
  private readonly skipping = new Map<number, TokenPiece>();
  private readonly keeping = new Map<number, TokenPiece>();
  private readonly strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  private constructor(
    private readonly tokenOf: (id: number) => string | undefined,
    private readonly addedContents: ReadonlySet<string>,
    private readonly specialContents: ReadonlySet<string>,
  ) {}

  /**
   * Pieces for this tokenizer, or undefined where decoding is more than a ByteLevel decoder (another
   * decoder, a word suffix, or clean_up_tokenization_spaces, which is on unless the config turns it off).
   */
  static forTokenizer(tokenizerJson: unknown, tokenizerConfig: JsonObject, tokenOf: (id: number) => string | undefined): ByteLevelPieces | undefined {
    if (!isObject(tokenizerJson) || !isObject(tokenizerJson.decoder) || tokenizerJson.decoder.type !== 'ByteLevel') return undefined;
    if (tokenizerConfig.clean_up_tokenization_spaces !== false) return undefined;
    const model = isObject(tokenizerJson.model) ? tokenizerJson.model : {};
    if (model.end_of_word_suffix) return undefined;
    const added = Array.isArray(tokenizerJson.added_tokens) ? tokenizerJson.added_tokens.filter(isObject) : [];
    const contents = added.map((token) => token.content).filter((content): content is string => typeof content === 'string');
    const special = added.filter((token) => token.special === true && typeof token.content === 'string').map((token) => token.content as string);
    const additional = Array.isArray(tokenizerConfig.additional_special_tokens) ? tokenizerConfig.additional_special_tokens.filter((token): token is string => typeof token === 'string') : [];
    const unknown = typeof model.unk_token === 'string' ? model.unk_token : undefined;
    return new ByteLevelPieces((id) => tokenOf(id) ?? unknown, new Set(contents), new Set([...special, ...additional]));
  }

  /** What token `id` adds to the text. */
  piece(id: number, skipSpecialTokens: boolean): TokenPiece {
    const cache = skipSpecialTokens ? this.skipping : this.keeping;
    let piece = cache.get(id);
    if (!piece) {
      piece = this.pieceOf(this.tokenOf(id), skipSpecialTokens);
      cache.set(id, piece);
    }
    return piece;
  }

  private pieceOf(token: string | undefined, skipSpecialTokens: boolean): TokenPiece {
    if (token === undefined) return { kind: 'bytes', bytes: new Uint8Array(0), text: '' };
    if (skipSpecialTokens && this.specialContents.has(token)) return { kind: 'skip' };
    if (this.addedContents.has(token)) return { kind: 'text', text: token };
    const table = (sharedUnicodeToBytes ??= unicodeToBytes());
    // A character outside the table becomes byte 0, as the library's Uint8Array conversion makes it.
    const bytes = Uint8Array.from(Array.from(token, (character) => table.get(character) ?? 0));
    return { kind: 'bytes', bytes, text: this.wholeCharacters(bytes) };
  }

  private wholeCharacters(bytes: Uint8Array): string | undefined {
    try {
      return this.strictUtf8.decode(bytes);
    } catch {
      return undefined;
    }
  }
}
