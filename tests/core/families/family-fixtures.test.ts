// Model families: each family's tiny fixture (Optimum IO layout) loads and generates the same with and without the KV cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { LanguageModel } from '../../../runtime/core/model/language-model.js';
import { generate } from '../../../runtime/core/generation/generate.js';
import { buildPrompt } from '../../../runtime/core/generation/prompt-builder.js';
import { loadModelDirectory } from '../../../runtime/node/load-model-directory.js';
import { greedyWithoutCache } from '../../support/greedy-without-cache.js';

const fixturesDirectory = fileURLToPath(new URL('../../fixtures/models/', import.meta.url));

/** What each fixture's config.json and ONNX graph declare (see tests/fixtures/models/build-fixtures.py). */
const fixtures = [
  { name: 'tiny-llama', family: 'llama', modelType: 'llama', numLayers: 2, numKeyValueHeads: 2, numHeads: 4, headDim: 8 },
  { name: 'tiny-qwen2', family: 'llama', modelType: 'qwen2', numLayers: 2, numKeyValueHeads: 2, numHeads: 6, headDim: 8 },
  { name: 'tiny-gpt2', family: 'gpt2', modelType: 'gpt2', numLayers: 2, numKeyValueHeads: 4, numHeads: 4, headDim: 8 },
] as const;

const questions = ['What does river mean?', 'Hello there, tiny model.'];


async function greedyWithCache(model: LanguageModel, promptIds: number[], maxTokens: number): Promise<number[]> {
  for await (const event of generate(model, { promptIds, maxTokens, sampling: { temperature: 0 } })) {
    if (event.type === 'done') return event.result.tokenIds;
  }
  throw new Error('generate ended without a done event');
}

describe.each(fixtures)('$name fixture (fp32, WASM)', (fixture) => {
  let model: LanguageModel;

  beforeAll(async () => {
    model = await loadModelDirectory(`${fixturesDirectory}${fixture.name}`, { dtype: 'fp32', id: fixture.name, threads: 1 });
  });
  afterAll(async () => {
    await model?.lm.release();
  });

  it('is read as its family, with the IO layout of an Optimum export', () => {
    expect(model.config.family).toBe(fixture.family);
    expect(model.config.modelType).toBe(fixture.modelType);
    expect(model.config.numLayers).toBe(fixture.numLayers);
    expect(model.config.numKeyValueHeads).toBe(fixture.numKeyValueHeads);
    expect(model.config.headDim).toBe(fixture.headDim);
    expect(model.modelFile).toBe('onnx/model.onnx');
    const { io } = model.lm;
    expect(io.hasAttentionMask).toBe(true);
    expect(io.hasPositionIds).toBe(true);
    expect(io.hasUseCacheBranch).toBe(false);
    expect(io.cacheType).toBe('float32');
    expect(io.pastKeyNames).toEqual(['past_key_values.0.key', 'past_key_values.1.key']);
    expect(io.presentValueNames).toEqual(['present.0.value', 'present.1.value']);
  });

  /** One full forward pass over `ids` at `positions` with an empty past. */
  async function forward(ids: number[], positions: number[]) {
    const { ort } = model.lm.engine;
    const int64 = (values: number[]) => new ort.Tensor('int64', BigInt64Array.from(values, BigInt), [1, values.length]);
    const feeds: Record<string, InstanceType<typeof ort.Tensor>> = { input_ids: int64(ids), attention_mask: int64(ids.map(() => 1)), position_ids: int64(positions) };
    for (const name of [...model.lm.io.pastKeyNames, ...model.lm.io.pastValueNames]) {
      feeds[name] = new ort.Tensor('float32', new Float32Array(0), [1, fixture.numKeyValueHeads, 0, fixture.headDim]);
    }
    return model.lm.run(feeds);
  }

  it('caches keys and values as [batch, kv_heads, total, head_dim] (grouped-query where kv_heads < heads), logits for the last position', async () => {
    const outputs = await forward([10, 20, 30], [0, 1, 2]);
    expect(outputs['present.1.key'].dims).toEqual([1, fixture.numKeyValueHeads, 3, fixture.headDim]);
    // The core prepares the graph so that prefill computes the last position's logits only.
    expect(model.lastPositionLogits).toBe(true);
    expect(outputs.logits.dims).toEqual([1, 1, model.config.vocabSize]);
    expect(fixture.numKeyValueHeads <= fixture.numHeads).toBe(true);
  });

  it('is a real causal decoder: later tokens never change earlier positions, positions do change them', async () => {
    const run = async (ids: number[], positions: number[]) => {
      const outputs = await forward(ids, positions);
      return { key: Array.from((await outputs['present.1.key'].getData()) as Float32Array), logits: Array.from((await outputs.logits.getData()) as Float32Array) };
    };
    const base = await run([10, 20, 30], [0, 1, 2]);
    const laterTokenChanged = await run([10, 20, 31], [0, 1, 2]);
    const shifted = await run([10, 20, 30], [5, 6, 7]);
    // The last layer's keys [1, kv_heads, 3, head_dim] at positions 0 and 1 have seen only tokens 0 and 1.
    const earlierPositions = (key: number[]) => key.filter((_, i) => Math.floor(i / fixture.headDim) % 3 < 2);
    expect(earlierPositions(laterTokenChanged.key)).toEqual(earlierPositions(base.key));
    expect(laterTokenChanged.key).not.toEqual(base.key);
    expect(laterTokenChanged.logits).not.toEqual(base.logits);
    expect(shifted.logits).not.toEqual(base.logits);
  });

  it('generates 20 greedy tokens with the KV cache exactly as full recomputation does', async () => {
    for (const question of questions) {
      const promptIds = buildPrompt(model.tokenizer, [{ role: 'user', content: question }], { contextLength: model.contextLength, reserveForAnswer: 32 }).ids;
      const cached = await greedyWithCache(model, promptIds, 20);
      expect(cached).toHaveLength(20);
      expect(cached).toEqual(await greedyWithoutCache(model, promptIds, 20));
      // Random weights, but not degenerate: the answer is not one token repeated.
      expect(new Set(cached).size).toBeGreaterThan(3);
    }
  });
});
