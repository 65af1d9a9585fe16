// expandBlockQuantizedMatMuls: 4-bit MatMulNBits rewritten as fp32 MatMul gives onnxruntime's own results.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { InferenceSession, Tensor } from 'onnxruntime-common';
import { expandBlockQuantizedMatMuls } from '../../../runtime/core/model/onnx/expand-block-quantized-matmuls.js';
import { modelForEngine } from '../../../runtime/core/model/model-for-engine.js';
import { parseModelConfig } from '../../../runtime/core/model/model-config.js';
import { createWasmEngine } from '../../../runtime/node/ort-web-engine.js';
import { lexiconDirectory, lexiconModel } from '../../support/lexicon-model.js';
import { matMulNBitsModel, type MatMulNBitsModelSpec } from '../../support/matmul-nbits-model.js';
import { seededRandom } from '../../../runtime/core/generation/seeded-random.js';
import { opTypes } from '../../support/onnx-op-types.js';

const engine = createWasmEngine();
const unlimited = { maxWeightBytes: Number.POSITIVE_INFINITY };

function session(bytes: Uint8Array): Promise<InferenceSession> {
  return engine.ort.InferenceSession.create(bytes, { executionProviders: engine.executionProviders });
}

function randomSpec(k: number, n: number, blockSize: number, withZeroPoints: boolean, seed: number): MatMulNBitsModelSpec {
  const random = seededRandom(seed);
  const blocks = Math.ceil(k / blockSize);
  const matrix = (rows: number, columns: number, value: () => number) => Array.from({ length: rows }, () => Array.from({ length: columns }, value));
  return {
    k,
    n,
    blockSize,
    levels: matrix(n, k, () => Math.floor(random() * 16)),
    scales: matrix(n, blocks, () => 0.01 + random() * 0.2),
    zeroPoints: withZeroPoints ? matrix(n, blocks, () => Math.floor(random() * 16)) : undefined,
  };
}

async function outputs(bytes: Uint8Array, feeds: Record<string, Tensor>, name: string): Promise<Float32Array> {
  const created = await session(bytes);
  try {
    return (await created.run(feeds))[name].data as Float32Array;
  } finally {
    await created.release();
  }
}

function maxRelativeDifference(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(a[i])));
  return worst;
}

describe('expandBlockQuantizedMatMuls', () => {
  it.each([
    ['no zero points, K a whole number of blocks', 64, 24, 32, false],
    ['packed zero points, an odd block count, K not a whole number of blocks', 40, 12, 16, true],
  ])('%s: the MatMul gives what MatMulNBits gives', async (_name, k, n, blockSize, withZeroPoints) => {
    const model = matMulNBitsModel(randomSpec(k, n, blockSize, withZeroPoints, k * n));
    const expanded = expandBlockQuantizedMatMuls(model, unlimited);
    expect(expanded).toMatchObject({ expandedNodes: 1, keptNodes: 0, weightBytes: k * n * 4 });
    expect(opTypes(expanded.bytes)).toEqual(['MatMul']);

    const random = seededRandom(7);
    const a = new engine.ort.Tensor('float32', Float32Array.from({ length: 3 * k }, () => random() * 2 - 1), [3, k]);
    const reference = await outputs(model, { A: a }, 'Y');
    const rewritten = await outputs(expanded.bytes, { A: a }, 'Y');
    expect(rewritten.length).toBe(3 * n);
    expect(maxRelativeDifference(reference, rewritten)).toBeLessThan(1e-5);
  });

  it('rewrites all 57 of lexicon-tiny q4 (8 layers × 7 projections and the LM head): 27.8 MB of fp32 weights', () => {
    const file = readFileSync(`${lexiconDirectory}onnx/model_q4.onnx`);
    const model = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
    expect(opTypes(model).filter((op) => op === 'MatMulNBits')).toHaveLength(57);
    const expanded = expandBlockQuantizedMatMuls(model, unlimited);
    // Per layer q, o 256×256; k, v 256×128; gate, up 256×704; down 704×256; the head 256×4096.
    const weights = 8 * (2 * 256 * 256 + 2 * 256 * 128 + 3 * 256 * 704) + 256 * 4096;
    expect(expanded).toMatchObject({ expandedNodes: 57, keptNodes: 0, weightBytes: weights * 4 });
    const ops = opTypes(expanded.bytes);
    expect(ops).not.toContain('MatMulNBits');
    expect(ops.filter((op) => op === 'MatMul')).toHaveLength(57 + 16);
    // Every other node is still there, in order.
    expect(ops.filter((op) => op !== 'MatMul')).toEqual(opTypes(model).filter((op) => op !== 'MatMul' && op !== 'MatMulNBits'));
  });

  it('leaves a model whose fp32 weights would pass the limit as it is', () => {
    const model = matMulNBitsModel(randomSpec(64, 16, 32, false, 1));
    const result = expandBlockQuantizedMatMuls(model, { maxWeightBytes: 64 * 16 * 4 - 1 });
    expect(result).toEqual({ bytes: model, expandedNodes: 0, keptNodes: 1, weightBytes: 0 });
  });

  it('modelForEngine expands on WASM only, and hands bytes it cannot parse to onnxruntime unchanged', () => {
    const config = parseModelConfig(JSON.parse(readFileSync(`${lexiconDirectory}config.json`, 'utf8')));
    const model = matMulNBitsModel(randomSpec(64, 16, 32, false, 2));
    expect(modelForEngine(engine, config, model).expandedWeights).toEqual({ nodes: 1, bytes: 64 * 16 * 4 });
    expect(modelForEngine({ ...engine, name: 'native' }, config, model)).toEqual({ bytes: model });
    expect(modelForEngine({ ...engine, name: 'webgpu' }, config, model)).toEqual({ bytes: model });
    const garbage = Uint8Array.from([0x3a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2]);
    expect(modelForEngine(engine, config, garbage)).toEqual({ bytes: garbage });
  });

  it('a q4 model loaded on WASM says what was expanded', async () => {
    const model = await lexiconModel('q4');
    expect(model.expandedWeights).toEqual({ nodes: 57, bytes: 27_787_264 });
    expect((await lexiconModel('q8')).expandedWeights).toBeUndefined();
  });
});
