// TextTokenizer: a Hugging Face tokenizer (tokenizer.json + tokenizer_config.json) with its chat template.
import { Tokenizer } from '@huggingface/tokenizers';
import { Template } from '@huggingface/jinja';
import { NexusError } from '../nexus-error.js';
import type { ChatMessage } from './chat-message.js';
import { ByteLevelPieces } from './byte-level-pieces.js';

type JsonObject = Record<string, unknown>;

/** Special-token attributes a chat template may reference, as transformers.js passes them. */
const specialTokenAttributes = ['bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token'];

function tokenFromConfig(config: JsonObject, key: string): string | undefined {
  const value = config[key];
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as JsonObject).content === 'string') return (value as JsonObject).content as string;
  return undefined;
}

/** Encode/decode and chat-template rendering over @huggingface/tokenizers and @huggingface/jinja. */
export class TextTokenizer {
  private readonly tokenizer: Tokenizer;
  private readonly config: JsonObject;
  private template: Template | undefined;
  /** Ids of every added special token (never shown to users when decoding with skipSpecialTokens). */
  readonly specialTokenIds: ReadonlySet<number>;
  /** Number of ids the tokenizer can produce (base vocabulary plus added tokens). */
  readonly vocabSize: number;
  private readonly singleTokenText = new Map<number, string>();
  private readonly singleTokenTextSkippingSpecial = new Map<number, string>();
  /** Per-token pieces where decoding is a plain ByteLevel decoder (IncrementalDecoder streams from them). */
  readonly byteLevelPieces: ByteLevelPieces | undefined;

  private constructor(tokenizer: Tokenizer, tokenizerJson: unknown, config: JsonObject) {
    this.tokenizer = tokenizer;
    this.config = config;
    this.byteLevelPieces = ByteLevelPieces.forTokenizer(tokenizerJson, config, (id) => tokenizer.id_to_token(id));
    const added = tokenizer.get_added_tokens_decoder();
    this.specialTokenIds = new Set([...added].filter(([, token]) => token.special).map(([id]) => id));
    let maxId = -1;
    for (const id of tokenizer.get_vocab(true).values()) maxId = Math.max(maxId, id);
    this.vocabSize = maxId + 1;
  }

  /** Builds a tokenizer from the parsed JSON of tokenizer.json and tokenizer_config.json. */
  static fromJson(tokenizerJson: unknown, tokenizerConfig: unknown): TextTokenizer {
    if (!tokenizerJson || typeof tokenizerJson !== 'object' || !('model' in tokenizerJson)) {
      throw new NexusError('TOKENIZER_INVALID', { reason: 'tokenizer.json has no "model" section' });
    }
    const config = (tokenizerConfig && typeof tokenizerConfig === 'object' ? tokenizerConfig : {}) as JsonObject;
    try {
      return new TextTokenizer(new Tokenizer(tokenizerJson, config), tokenizerJson, config);
    } catch (error) {
      throw new NexusError('TOKENIZER_INVALID', { reason: error instanceof Error ? error.message : String(error) }, { cause: error });
    }
  }

  /** Token ids of `text`; special tokens written in the text (e.g. `<|end|>`) map to their ids. */
  encode(text: string, options: { addSpecialTokens?: boolean } = {}): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: options.addSpecialTokens ?? false }).ids;
  }

  /** Text of `ids`; with skipSpecialTokens the control tokens are left out. */
  decode(ids: readonly number[], options: { skipSpecialTokens?: boolean } = {}): string {
    if (ids.length === 0) return '';
    const skipSpecialTokens = options.skipSpecialTokens ?? false;
    if (ids.length > 1) return this.tokenizer.decode(ids as number[], { skip_special_tokens: skipSpecialTokens });
    // Streaming decodes one token (the window before the newest) on every step: remember those.
    const cache = skipSpecialTokens ? this.singleTokenTextSkippingSpecial : this.singleTokenText;
    const id = ids[0] as number;
    const cached = cache.get(id);
    if (cached !== undefined) return cached;
    const text: string = this.tokenizer.decode([id], { skip_special_tokens: skipSpecialTokens });
    cache.set(id, text);
    return text;
  }

  /** The id of a token string (e.g. `<|end|>`), or undefined. */
  tokenToId(token: string): number | undefined {
    return this.tokenizer.token_to_id(token);
  }

  /** The configured EOS token's id, if the tokenizer names one. */
  get eosTokenId(): number | undefined {
    const eos = tokenFromConfig(this.config, 'eos_token');
    return eos === undefined ? undefined : this.tokenToId(eos);
  }

  get hasChatTemplate(): boolean {
    return typeof this.config.chat_template === 'string';
  }

  /** Renders `messages` with the model's chat template, as transformers.js' apply_chat_template does. */
  applyChatTemplate(messages: readonly ChatMessage[], options: { addGenerationPrompt?: boolean } = {}): string {
    const source = this.config.chat_template;
    if (typeof source !== 'string') throw new NexusError('CHAT_TEMPLATE_MISSING');
    this.template ??= new Template(source);
    const specialTokens: JsonObject = {};
    for (const key of specialTokenAttributes) {
      const value = tokenFromConfig(this.config, key);
      if (value) specialTokens[key] = value;
    }
    return this.template.render({ messages, add_generation_prompt: options.addGenerationPrompt ?? false, ...specialTokens });
  }
}
