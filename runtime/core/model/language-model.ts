// LanguageModel: a model directory loaded as one unit (config, tokenizer, ONNX decoder, identity).
import { NexusError } from '../nexus-error.js';
import type { ModelSource } from '../platform/model-source.js';
import type { OrtEngine } from '../platform/ort-engine.js';
import { sha256Hex } from '../checkpoint/sha256.js';
import { TextTokenizer } from '../tokenizer/text-tokenizer.js';
import { parseModelConfig, type ModelConfig } from './model-config.js';
import { onnxFilesByDtype, modelDtypes, type ModelDtype } from './model-dtype.js';
import { CausalLM } from './causal-lm.js';
import { modelForEngine, type FusedAttention, type PreparedModel, type RequantizedWeights } from './model-for-engine.js';
import { startWarmUp } from '../platform/warm-up-engine.js';
import { collectGarbage } from '../internal/collect-garbage.js';

export interface LanguageModel {
  /** Registry id or directory name; goes into checkpoint headers. */
  id: string;
  dtype: ModelDtype;
  /** Path of the ONNX file inside the model directory. */
  modelFile: string;
  /** SHA-256 of the ONNX file: ties checkpoints' model-dependent state to these exact weights. */
  modelSha256: string;
  config: ModelConfig;
  tokenizer: TextTokenizer;
  lm: CausalLM;
  /** Set when attention was fused into GroupQueryAttention at load (see modelForEngine). */
  fusedAttention?: FusedAttention;
  /** Set when prefill computes logits for the last position only (see modelForEngine). */
  lastPositionLogits?: boolean;
  /** Set when 4-bit weights were requantized to 8 bits at load for this engine (see modelForEngine). */
  requantizedWeights?: RequantizedWeights;
  /** Set when our WASM kernel computes the 8-bit LM head instead of the engine (see modelForEngine). */
  kernelLmHead?: { depth: number; vocabulary: number };
  /** Context window in tokens (the smaller of the model's and the configured one). */
  contextLength: number;
  loadMs: number;
}

export interface LoadModelOptions {
  id: string;
  dtype: ModelDtype;
  contextLength?: number;
  now?: () => number;
  /** How the model file's SHA-256 is computed: WebCrypto's sha256Hex unless the platform has one that does not copy the bytes. */
  sha256Hex?: (bytes: Uint8Array) => Promise<string>;
}

async function readJson(source: ModelSource, path: string, optional = false): Promise<unknown> {
  if (optional && !(await source.exists(path))) return undefined;
  const bytes = await source.readBytes(path);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    const reason = `${path} is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
    throw new NexusError(path.startsWith('tokenizer') ? 'TOKENIZER_INVALID' : 'MODEL_CONFIG_INVALID', { reason });
  }
}

/** Which ONNX file holds `dtype`, or DTYPE_UNAVAILABLE listing the dtypes that are present. */
export async function resolveModelFile(source: ModelSource, dtype: ModelDtype): Promise<string> {
  for (const file of onnxFilesByDtype[dtype]) if (await source.exists(file)) return file;
  const available: string[] = [];
  for (const candidate of modelDtypes) {
    for (const file of onnxFilesByDtype[candidate]) if (await source.exists(file)) available.push(candidate);
  }
  throw new NexusError('DTYPE_UNAVAILABLE', { dtype, available: available.join(', ') || 'none' });
}

function checkTokenizerFitsModel(tokenizer: TextTokenizer, config: ModelConfig): void {
  if (tokenizer.vocabSize > config.vocabSize) {
    throw new NexusError('TOKENIZER_MODEL_MISMATCH', {
      reason: `the tokenizer has ${tokenizer.vocabSize} tokens but the model's vocabulary is ${config.vocabSize}`,
    });
  }
  const eos = tokenizer.eosTokenId;
  if (eos !== undefined && config.eosTokenIds.length > 0 && !config.eosTokenIds.includes(eos)) {
    throw new NexusError('TOKENIZER_MODEL_MISMATCH', {
      reason: `the tokenizer's EOS token id ${eos} is not one of the model's (${config.eosTokenIds.join(', ')})`,
    });
  }
}

/** A file's bytes, taken once: after that neither this holder nor the promise it resolved keeps them alive. */
class BytesToTake {
  constructor(
    readonly path: string,
    private bytes: Uint8Array | undefined,
  ) {}

  take(): Uint8Array {
    const { bytes } = this;
    if (!bytes) throw new NexusError('INTERNAL', { reason: `${this.path} was taken twice` });
    this.bytes = undefined;
    return bytes;
  }
}

/**
 * The model file prepared for `engine` (modelForEngine) and the file's SHA-256, hashed while the
 * graph is rewritten. The file's bytes live on only as the prepared model's external weights (WASM),
 * until the session has copied them: on native they are garbage before it is created.
 */
async function preparedModel(read: Promise<BytesToTake>, engine: OrtEngine, config: ModelConfig, hash: (bytes: Uint8Array) => Promise<string>): Promise<{ modelFile: string; prepared: PreparedModel; modelSha256: string }> {
  const file = await read;
  const modelBytes = file.take();
  const hashed = hash(modelBytes);
  const prepared = modelForEngine(engine, config, modelBytes);
  return { modelFile: file.path, prepared, modelSha256: await hashed };
}

/**
 * Every file of the model requested at once. Read one after another, each read waited for the
 * one before it, and in a browser every continuation also waited for the engine's start-up, which
 * holds the worker's thread for ~250 ms: the tokenizer and the model file were requested only
 * after it. The caller awaits the reads in this order, so the first missing or broken file is the
 * one reported, as before; the others' failures are handled here so that none goes unhandled.
 */
function readModelFiles(source: ModelSource, dtype: ModelDtype) {
  const reads = {
    config: readJson(source, 'config.json'),
    generationConfig: readJson(source, 'generation_config.json', true),
    tokenizer: readJson(source, 'tokenizer.json'),
    tokenizerConfig: readJson(source, 'tokenizer_config.json', true),
    model: resolveModelFile(source, dtype).then(async (path) => new BytesToTake(path, await source.readBytes(path))),
  };
  for (const read of Object.values(reads)) read.catch(() => undefined);
  return reads;
}

/** Loads config.json, the tokenizer and the ONNX file of `dtype` from `source` onto `engine`. */
export async function loadLanguageModel(source: ModelSource, engine: OrtEngine, options: LoadModelOptions): Promise<LanguageModel> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  // The engine initialises while the files below are read and the graph is prepared.
  const warmedUp = startWarmUp(engine);
  const reads = readModelFiles(source, options.dtype);
  const config = parseModelConfig(await reads.config, await reads.generationConfig);
  const tokenizer = TextTokenizer.fromJson(await reads.tokenizer, await reads.tokenizerConfig);
  if (config.eosTokenIds.length === 0 && tokenizer.eosTokenId !== undefined) config.eosTokenIds.push(tokenizer.eosTokenId);
  checkTokenizerFitsModel(tokenizer, config);
  const { modelFile, prepared, modelSha256 } = await preparedModel(reads.model, engine, config, options.sha256Hex ?? sha256Hex);
  // What the engine's start-up read and the rewrites copied is garbage now: gone before the session is created.
  await warmedUp;
  collectGarbage();
  const { fusedAttention, lastPositionLogits, requantizedWeights, detachedHead } = prepared;
  const lm = await CausalLM.create(engine, config, prepared, modelFile);
  const contextLength = Math.min(config.maxPositions, options.contextLength ?? config.maxPositions);
  const loaded = { id: options.id, dtype: options.dtype, modelFile, modelSha256, config, tokenizer, lm, contextLength, loadMs: now() - started };
  const kernelLmHead = detachedHead && { depth: detachedHead.kernel.depth, vocabulary: detachedHead.kernel.vocabulary };
  return { ...loaded, ...(fusedAttention && { fusedAttention }), ...(lastPositionLogits && { lastPositionLogits }), ...(requantizedWeights && { requantizedWeights }), ...(kernelLmHead && { kernelLmHead }) };
}
