// ModelConfig: what the runtime needs from a Hugging Face config.json, for the llama and GPT-2 families.
import { NexusError } from '../nexus-error.js';

/** IO layout family: llama-style (Llama, SmolLM2, Qwen2, Mistral, TinyLlama) or GPT-2-style. */
export type ModelFamily = 'llama' | 'gpt2';

export interface ModelConfig {
  family: ModelFamily;
  modelType: string;
  numLayers: number;
  numAttentionHeads: number;
  numKeyValueHeads: number;
  headDim: number;
  /** Plain rotary position embeddings (θ); absent for GPT-2, scaled or partial rotary. */
  rope?: { theta: number };
  vocabSize: number;
  /** Longest sequence the model was trained for (prompt + answer). */
  maxPositions: number;
  /** Token ids that end an answer (config.json and generation_config.json together). */
  eosTokenIds: number[];
}

const familyOf: Record<string, ModelFamily> = {
  llama: 'llama',
  mistral: 'llama',
  qwen2: 'llama',
  qwen3: 'llama',
  smollm3: 'llama',
  gpt2: 'gpt2',
};

type Json = Record<string, unknown>;

function positiveInt(config: Json, keys: string[], fallback?: number): number {
  for (const key of keys) {
    const value = config[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
      throw new NexusError('MODEL_CONFIG_INVALID', { key, reason: `expected a positive integer, got ${JSON.stringify(value)}` });
    }
    return value;
  }
  if (fallback !== undefined) return fallback;
  throw new NexusError('MODEL_CONFIG_INVALID', { key: keys[0], reason: 'is missing' });
}

function tokenIds(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.filter((id): id is number => typeof id === 'number');
  return [];
}

function plainRope(config: Json, family: ModelFamily): { rope?: { theta: number } } {
  const scaled = config.rope_scaling !== undefined && config.rope_scaling !== null;
  const partial = typeof config.partial_rotary_factor === 'number' && config.partial_rotary_factor !== 1;
  if (family !== 'llama' || scaled || partial) return {};
  const theta = config.rope_theta ?? 10000;
  return typeof theta === 'number' && theta > 0 ? { rope: { theta } } : {};
}

/** Parses config.json (and optionally generation_config.json); a pure function over parsed JSON. */
export function parseModelConfig(configJson: unknown, generationConfigJson?: unknown): ModelConfig {
  if (!configJson || typeof configJson !== 'object') {
    throw new NexusError('MODEL_CONFIG_INVALID', { reason: 'config.json is not a JSON object' });
  }
  const config = configJson as Json;
  const modelType = String(config.model_type ?? '');
  const family = familyOf[modelType];
  if (!family) throw new NexusError('MODEL_UNSUPPORTED', { modelType, supported: Object.keys(familyOf).join(', ') });

  const numLayers = positiveInt(config, ['num_hidden_layers', 'n_layer']);
  const numHeads = positiveInt(config, ['num_attention_heads', 'n_head']);
  const hiddenSize = positiveInt(config, ['hidden_size', 'n_embd']);
  const numKeyValueHeads = family === 'gpt2' ? numHeads : positiveInt(config, ['num_key_value_heads'], numHeads);
  if (config.head_dim === undefined && hiddenSize % numHeads !== 0) {
    throw new NexusError('MODEL_CONFIG_INVALID', { key: 'head_dim', reason: `is missing and hidden size ${hiddenSize} is not divisible by ${numHeads} heads` });
  }
  const headDim = positiveInt(config, ['head_dim'], hiddenSize / numHeads);
  const generation = (generationConfigJson && typeof generationConfigJson === 'object' ? generationConfigJson : {}) as Json;
  const eosTokenIds = [...new Set([...tokenIds(config.eos_token_id), ...tokenIds(generation.eos_token_id)])];

  return {
    family,
    modelType,
    numLayers,
    numAttentionHeads: numHeads,
    numKeyValueHeads,
    ...plainRope(config, family),
    headDim,
    vocabSize: positiveInt(config, ['vocab_size']),
    maxPositions: positiveInt(config, ['max_position_embeddings', 'n_positions', 'n_ctx'], 2048),
    eosTokenIds,
  };
}
