// Tests for parseModelConfig: lexicon-tiny's real config, Qwen2/SmolLM2/GPT-2-style configs, and invalid configs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseModelConfig } from '../../../runtime/core/model/model-config.js';
import { caught } from '../../support/caught-nexus-error.js';

const modelDir = new URL('../../../models/lexicon-tiny/', import.meta.url);
const readJson = (name: string): unknown => JSON.parse(readFileSync(new URL(name, modelDir), 'utf8'));


const qwen2 = {
  architectures: ['Qwen2ForCausalLM'],
  model_type: 'qwen2',
  hidden_size: 896,
  intermediate_size: 4864,
  num_hidden_layers: 24,
  num_attention_heads: 14,
  num_key_value_heads: 2,
  max_position_embeddings: 32768,
  vocab_size: 151936,
  bos_token_id: 151643,
  eos_token_id: 151645,
  tie_word_embeddings: true,
};

const smollm2 = {
  architectures: ['LlamaForCausalLM'],
  model_type: 'llama',
  hidden_size: 576,
  intermediate_size: 1536,
  num_hidden_layers: 30,
  num_attention_heads: 9,
  num_key_value_heads: 3,
  max_position_embeddings: 8192,
  vocab_size: 49152,
  bos_token_id: 1,
  eos_token_id: 2,
};

const gpt2 = {
  architectures: ['GPT2LMHeadModel'],
  model_type: 'gpt2',
  n_ctx: 1024,
  n_embd: 768,
  n_head: 12,
  n_layer: 12,
  n_positions: 1024,
  vocab_size: 50257,
  bos_token_id: 50256,
  eos_token_id: 50256,
};

describe('parseModelConfig', () => {
  it("reads lexicon-tiny's config.json + generation_config.json", () => {
    const config = parseModelConfig(readJson('config.json'), readJson('generation_config.json'));
    expect(config).toEqual({
      family: 'llama',
      modelType: 'llama',
      numLayers: 8,
      numAttentionHeads: 8,
      numKeyValueHeads: 4,
      rope: { theta: 10000 },
      headDim: 32,
      vocabSize: 4096,
      maxPositions: 512,
      eosTokenIds: [3, 0],
    });
  });

  it('without generation_config.json, only config.json’s eos ids', () => {
    expect(parseModelConfig(readJson('config.json')).eosTokenIds).toEqual([3]);
    expect(parseModelConfig(readJson('config.json'), null).eosTokenIds).toEqual([3]);
    expect(parseModelConfig(readJson('config.json'), 'not an object').eosTokenIds).toEqual([3]);
  });

  it('Qwen2-style: llama family, head dim = hidden / heads when head_dim is absent', () => {
    expect(parseModelConfig(qwen2, { eos_token_id: [151645, 151643] })).toEqual({
      family: 'llama',
      modelType: 'qwen2',
      numLayers: 24,
      numAttentionHeads: 14,
      numKeyValueHeads: 2,
      rope: { theta: 10000 },
      headDim: 64,
      vocabSize: 151936,
      maxPositions: 32768,
      eosTokenIds: [151645, 151643],
    });
  });

  it('SmolLM2-style (llama)', () => {
    expect(parseModelConfig(smollm2)).toEqual({
      family: 'llama',
      modelType: 'llama',
      numLayers: 30,
      numAttentionHeads: 9,
      numKeyValueHeads: 3,
      rope: { theta: 10000 },
      headDim: 64,
      vocabSize: 49152,
      maxPositions: 8192,
      eosTokenIds: [2],
    });
  });

  it('llama without num_key_value_heads falls back to the attention-head count (MHA)', () => {
    const { num_key_value_heads: _drop, ...mha } = smollm2;
    expect(parseModelConfig(mha).numKeyValueHeads).toBe(9);
  });

  it('an explicit head_dim wins over hidden / heads', () => {
    expect(parseModelConfig({ ...qwen2, head_dim: 128 }).headDim).toBe(128);
  });

  it('maxPositions defaults to 2048 when absent', () => {
    const { max_position_embeddings: _drop, ...noPositions } = smollm2;
    expect(parseModelConfig(noPositions).maxPositions).toBe(2048);
  });

  it('GPT-2: n_layer, n_head, n_embd, n_positions; kv heads = heads; eos 50256', () => {
    expect(parseModelConfig(gpt2)).toEqual({
      family: 'gpt2',
      modelType: 'gpt2',
      numLayers: 12,
      numAttentionHeads: 12,
      numKeyValueHeads: 12,
      headDim: 64,
      vocabSize: 50257,
      maxPositions: 1024,
      eosTokenIds: [50256],
    });
  });

  it('GPT-2 ignores a num_key_value_heads key (always MHA)', () => {
    expect(parseModelConfig({ ...gpt2, num_key_value_heads: 3 }).numKeyValueHeads).toBe(12);
  });

  it('deduplicates eos ids from both files and ignores non-numeric entries', () => {
    expect(parseModelConfig({ ...smollm2, eos_token_id: [2, 'x', 5] }, { eos_token_id: [5, 2, 7] }).eosTokenIds).toEqual([2, 5, 7]);
    expect(parseModelConfig({ ...smollm2, eos_token_id: null }).eosTokenIds).toEqual([]);
  });

  it.each([null, undefined, 42, 'config', true])('a non-object (%o) is MODEL_CONFIG_INVALID', (value) => {
    const error = caught(() => parseModelConfig(value));
    expect(error.code).toBe('MODEL_CONFIG_INVALID');
    expect(error.message).toContain('not a JSON object');
  });

  it('an unsupported model_type is MODEL_UNSUPPORTED listing the supported ones', () => {
    const error = caught(() => parseModelConfig({ ...smollm2, model_type: 'bert' }));
    expect(error.code).toBe('MODEL_UNSUPPORTED');
    expect(error.details.modelType).toBe('bert');
    expect(error.message).toContain('"bert"');
    for (const supported of ['llama', 'mistral', 'qwen2', 'qwen3', 'gpt2']) expect(error.message).toContain(supported);
  });

  it('a missing model_type is MODEL_UNSUPPORTED', () => {
    const { model_type: _drop, ...noType } = smollm2;
    expect(caught(() => parseModelConfig(noType)).code).toBe('MODEL_UNSUPPORTED');
  });

  it.each([
    ['num_hidden_layers', -1],
    ['num_hidden_layers', 0],
    ['num_hidden_layers', 2.5],
    ['num_hidden_layers', '8'],
    ['num_attention_heads', -9],
    ['num_key_value_heads', 0],
    ['hidden_size', 'big'],
    ['vocab_size', -3],
    ['head_dim', 1.5],
    ['max_position_embeddings', 0],
  ])('%s = %o is MODEL_CONFIG_INVALID naming the key', (key, value) => {
    const error = caught(() => parseModelConfig({ ...smollm2, [key]: value }));
    expect(error.code).toBe('MODEL_CONFIG_INVALID');
    expect(error.details.key).toBe(key);
    expect(error.message).toContain(`[${key}]`);
  });

  it.each(['num_hidden_layers', 'num_attention_heads', 'hidden_size', 'vocab_size'])('a missing %s is MODEL_CONFIG_INVALID naming it', (key) => {
    const config: Record<string, unknown> = { ...smollm2 };
    delete config[key];
    const error = caught(() => parseModelConfig(config));
    expect(error.code).toBe('MODEL_CONFIG_INVALID');
    expect(error.details.key).toBe(key);
    expect(error.message).toContain(`[${key}]`);
    expect(error.message).toContain('missing');
  });

  it('GPT-2: a negative n_layer names n_layer; a missing one names the first key tried', () => {
    const negative = caught(() => parseModelConfig({ ...gpt2, n_layer: -12 }));
    expect(negative.code).toBe('MODEL_CONFIG_INVALID');
    expect(negative.details.key).toBe('n_layer');
    const { n_layer: _drop, ...missing } = gpt2;
    const error = caught(() => parseModelConfig(missing));
    expect(error.code).toBe('MODEL_CONFIG_INVALID');
    expect(error.details.key).toBe('num_hidden_layers');
  });
});

describe('parseModelConfig head dimension', () => {
  it('rejects a hidden size not divisible by the head count when head_dim is absent', () => {
    expect(() => parseModelConfig({ model_type: 'llama', num_hidden_layers: 2, num_attention_heads: 3, hidden_size: 100, vocab_size: 10 })).toThrowError(/head_dim.*not divisible/);
  });
});
