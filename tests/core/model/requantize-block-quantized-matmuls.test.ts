// requantizeBlockQuantizedMatMuls: 4-bit MatMulNBits rewritten as 8-bit MatMulInteger on requantized weights.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { InferenceSession, Tensor } from 'onnxruntime-common';
import { maxSingleScaleStepRatio, requantizeBlockQuantizedMatMuls, type RequantizationResult } from '../../../runtime/core/model/onnx/requantize-block-quantized-matmuls.js';
import { graphInitializers, readGraph, type ExternalDataFile } from '../../../runtime/core/model/onnx/onnx-graph.js';
import { detachedHeadLogits, modelForEngine } from '../../../runtime/core/model/model-for-engine.js';
import { parseModelConfig } from '../../../runtime/core/model/model-config.js';
import { createWasmEngine } from '../../../runtime/node/ort-web-engine.js';
import { lexiconDirectory, lexiconModel } from '../../support/lexicon-model.js';
import { lexiconGreedyLogits } from '../../support/lexicon-greedy-logits.js';
import { matMulNBitsModel, type MatMulNBitsModelSpec } from '../../support/matmul-nbits-model.js';
import { seededRandom } from '../../../runtime/core/generation/seeded-random.js';
import { opTypes } from '../../support/onnx-op-types.js';
import { argmax } from '../../support/argmax.js';

const engine = createWasmEngine();
const unlimited = { maxWeightBytes: Number.POSITIVE_INFINITY, path: 'requantized' };
const config = parseModelConfig(JSON.parse(readFileSync(`${lexiconDirectory}config.json`, 'utf8')));

function modelFile(name: string): Uint8Array {
  const file = readFileSync(`${lexiconDirectory}onnx/${name}`);
  return new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
}
const q4File = () => modelFile('model_q4.onnx');

function probabilities(logits: Float32Array): Float64Array {
  const largest = Math.max(...logits);
  const exps = Float64Array.from(logits, (logit) => Math.exp(logit - largest));
  const sum = exps.reduce((total, value) => total + value, 0);
  return exps.map((value) => value / sum);
}

/** The largest difference, over every step and token, between two runs' logits and between their probabilities. */
function largestDifference(a: Float32Array[], b: Float32Array[]): { logit: number; probability: number } {
  let logit = 0;
  let probability = 0;
  a.forEach((row, step) => {
    const [pa, pb] = [probabilities(row), probabilities(b[step])];
    row.forEach((value, i) => {
      logit = Math.max(logit, Math.abs(value - b[step][i]));
      probability = Math.max(probability, Math.abs(pa[i] - pb[i]));
    });
  });
  return { logit, probability };
}

function randomSpec(k: number, n: number, blockSize: number, withZeroPoints: boolean, seed: number, scaleOf = (_column: number) => 0.01 + seededRandom(seed)() * 0.2): MatMulNBitsModelSpec {
  const random = seededRandom(seed);
  const blocks = Math.ceil(k / blockSize);
  const matrix = (rows: number, columns: number, value: (row: number) => number) => Array.from({ length: rows }, (_, row) => Array.from({ length: columns }, () => value(row)));
  return {
    k,
    n,
    blockSize,
    levels: matrix(n, k, () => Math.floor(random() * 16)),
    scales: matrix(n, blocks, (column) => scaleOf(column) * (0.5 + random())),
    zeroPoints: withZeroPoints ? matrix(n, blocks, () => Math.floor(random() * 16)) : undefined,
  };
}

/** W[k][n] as MatMulNBits means it: (level − zero point) × scale. */
function dequantized(spec: MatMulNBitsModelSpec): Float32Array {
  const weight = new Float32Array(spec.k * spec.n);
  for (let column = 0; column < spec.n; column++) {
    for (let row = 0; row < spec.k; row++) {
      const block = Math.floor(row / spec.blockSize);
      weight[row * spec.n + column] = (spec.levels[column][row] - (spec.zeroPoints?.[column][block] ?? 8)) * spec.scales[column][block];
    }
  }
  return weight;
}

/** The rewritten model's 8-bit weights and scales, read back from its initializers. */
function requantizedWeights({ bytes, externalData }: RequantizationResult): { levels: Uint8Array; scales: Float32Array; zeroPoint: number } {
  const initializers = [...graphInitializers(bytes, readGraph(bytes)!, externalData).values()];
  const levels = initializers.find((init) => init.dims.length === 2)!.data!;
  const scaleData = initializers.find((init) => init.name.endsWith('_scale'))!.data!;
  const zeroPoint = initializers.find((init) => init.name.endsWith('weight_zero_point'))!.data![0];
  return { levels, scales: new Float32Array(scaleData.slice().buffer), zeroPoint };
}

async function run(bytes: Uint8Array, feeds: Record<string, Tensor>, externalData?: ExternalDataFile): Promise<Float32Array> {
  const session: InferenceSession = await engine.ort.InferenceSession.create(bytes, { executionProviders: engine.executionProviders, ...(externalData && { externalData: [externalData] }) });
  try {
    return (await session.run(feeds)).Y.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('requantizeBlockQuantizedMatMuls', () => {
  it.each([
    ['no zero points, K a whole number of blocks', 64, 24, 32, false],
    ['packed zero points, an odd block count, K not a whole number of blocks', 40, 12, 16, true],
    ['an odd K (the last row alone in its byte)', 41, 10, 16, true],
  ])('%s: each weight within half a step of its column scale, and what MatMulNBits gives to 8-bit precision', async (_name, k, n, blockSize, withZeroPoints) => {
    const spec = randomSpec(k, n, blockSize, withZeroPoints, k * n);
    const model = matMulNBitsModel(spec);
    const result = requantizeBlockQuantizedMatMuls(model, unlimited);
    expect(result).toMatchObject({ requantizedNodes: 1, singleScaleNodes: 0, keptNodes: 0, weightBytes: k * n });
    expect(opTypes(result.bytes)).toEqual(['DynamicQuantizeLinear', 'MatMulInteger', 'Mul', 'Cast', 'Mul']);

    const weight = dequantized(spec);
    const { levels, scales, zeroPoint } = requantizedWeights(result);
    expect(scales).toHaveLength(n);
    for (let column = 0; column < n; column++) {
      let largest = 0;
      for (let row = 0; row < k; row++) {
        const i = row * n + column;
        largest = Math.max(largest, Math.abs(levels[i] - zeroPoint));
        expect(Math.abs((levels[i] - zeroPoint) * scales[column] - weight[i])).toBeLessThanOrEqual(scales[column] * 0.5 + 1e-7);
      }
      expect(largest).toBe(127);
    }

    const random = seededRandom(7);
    const a = new engine.ort.Tensor('float32', Float32Array.from({ length: 3 * k }, () => random() * 2 - 1), [3, k]);
    const reference = await run(model, { A: a });
    const rewritten = await run(result.bytes, { A: a }, result.externalData);
    const largest = reference.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
    const worst = reference.reduce((max, value, i) => Math.max(max, Math.abs(value - rewritten[i])), 0);
    // Activations in 255 steps and weights in 254: the error stays within a few percent of the outputs' range.
    expect(worst / largest).toBeLessThan(0.03);
  });

  it('finds a column\'s largest weight in the lone last row of an odd K', () => {
    const [k, n, blockSize] = [41, 4, 16];
    // Levels 1..15 are within 7 of the zero point 8; the last row's 0 is 8 away, in a block with the same scale.
    const spec: MatMulNBitsModelSpec = {
      k,
      n,
      blockSize,
      levels: Array.from({ length: n }, (_, column) => Array.from({ length: k }, (_, row) => (row === k - 1 ? 0 : 1 + ((row * 7 + column) % 15)))),
      scales: Array.from({ length: n }, () => [0.1, 0.1, 0.1]),
    };
    const result = requantizeBlockQuantizedMatMuls(matMulNBitsModel(spec), unlimited);
    const { levels, scales, zeroPoint } = requantizedWeights(result);
    for (let column = 0; column < n; column++) {
      expect(scales[column]).toBeCloseTo((8 * 0.1) / 127, 7);
      expect(levels[(k - 1) * n + column] - zeroPoint).toBe(-127);
    }
  });

  it('gives an LM-head-wide matrix one scale only when that step is small beside its 4-bit steps', () => {
    const k = 64;
    const n = 32;
    const even = requantizeBlockQuantizedMatMuls(matMulNBitsModel(randomSpec(k, n, 32, false, 3, () => 0.05)), { ...unlimited, lmHeadWidth: n });
    expect(even.singleScaleNodes).toBe(1);
    expect(requantizedWeights(even).scales).toHaveLength(1);
    // One column 8× the others: one scale for all would be 8 × 8 / 127 of a typical 4-bit step.
    expect(8 * 8 / 127).toBeGreaterThan(maxSingleScaleStepRatio);
    const outlier = requantizeBlockQuantizedMatMuls(matMulNBitsModel(randomSpec(k, n, 32, false, 3, (column) => (column === 5 ? 0.4 : 0.05))), { ...unlimited, lmHeadWidth: n });
    expect(outlier.singleScaleNodes).toBe(0);
    expect(requantizedWeights(outlier).scales).toHaveLength(n);
    // Only a matrix as wide as the vocabulary is the head.
    expect(requantizeBlockQuantizedMatMuls(matMulNBitsModel(randomSpec(k, n, 32, false, 3, () => 0.05)), { ...unlimited, lmHeadWidth: n + 1 }).singleScaleNodes).toBe(0);
  });

  it('rewrites all 57 of lexicon-tiny q4 with one quantizer per activation, as q8 has: 6.9 MB of 8-bit weights', () => {
    const model = q4File();
    const result = requantizeBlockQuantizedMatMuls(model, { ...unlimited, lmHeadWidth: config.vocabSize });
    // Per layer q, o 256×256; k, v 256×128; gate, up 256×704; down 704×256; the head 256×4096.
    const weights = 8 * (2 * 256 * 256 + 2 * 256 * 128 + 3 * 256 * 704) + 256 * 4096;
    expect(result).toMatchObject({ requantizedNodes: 57, singleScaleNodes: 1, keptNodes: 0, weightBytes: weights });
    const ops = opTypes(result.bytes);
    expect(ops).not.toContain('MatMulNBits');
    expect(ops.filter((op) => op === 'MatMulInteger')).toHaveLength(57);
    // q/k/v share one quantizer, gate/up another, o and down one each: 4 a layer, and the head's.
    expect(ops.filter((op) => op === 'DynamicQuantizeLinear')).toHaveLength(8 * 4 + 1);
    const added = new Set(['DynamicQuantizeLinear', 'MatMulInteger', 'Cast', 'Mul']);
    expect(ops.filter((op) => !added.has(op))).toEqual(opTypes(model).filter((op) => !added.has(op) && op !== 'MatMulNBits'));
  });

  it('leaves a model whose 8-bit weights would pass the limit as it is', () => {
    const model = matMulNBitsModel(randomSpec(64, 16, 32, false, 1));
    const result = requantizeBlockQuantizedMatMuls(model, { ...unlimited, maxWeightBytes: 64 * 16 - 1 });
    expect(result).toEqual({ bytes: model, requantizedNodes: 0, singleScaleNodes: 0, keptNodes: 1, weightBytes: 0 });
  });

  it('modelForEngine requantizes on WASM only, and hands bytes it cannot parse to onnxruntime unchanged', () => {
    const model = matMulNBitsModel(randomSpec(64, 16, 32, false, 2));
    expect(modelForEngine(engine, config, model).requantizedWeights).toEqual({ nodes: 1, bytes: 64 * 16 });
    expect(modelForEngine({ ...engine, name: 'native' }, config, model)).toEqual({ bytes: model });
    expect(modelForEngine({ ...engine, name: 'webgpu' }, config, model)).toEqual({ bytes: model });
    const garbage = Uint8Array.from([0x3a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2]);
    expect(modelForEngine(engine, config, garbage)).toEqual({ bytes: garbage });
  });

  it('lexicon-tiny q4 on WASM: the same greedy tokens as its 4-bit graph, closer to it than q8 is, and its head on our kernel', async () => {
    const file = q4File();
    const prepared = modelForEngine(engine, config, file);
    expect(prepared.requantizedWeights).toEqual({ nodes: 57, bytes: 6_946_816 });
    expect(prepared.detachedHead).toBeDefined();
    const steps = 12;
    const reference = (await lexiconGreedyLogits(engine, file, steps)).rows;
    const requantized = (await lexiconGreedyLogits(engine, prepared.bytes, steps, (outputs) => detachedHeadLogits(prepared.detachedHead!, outputs), prepared.externalData)).rows;
    const q8 = (await lexiconGreedyLogits(engine, modelFile('model_quantized.onnx'), steps)).rows;
    expect(requantized.map(argmax)).toEqual(reference.map(argmax));
    const requantizedDrift = largestDifference(reference, requantized);
    const q8Drift = largestDifference(reference, q8);
    console.log(`[requantize] lexicon-tiny q4, ${steps} greedy steps, largest difference from the 4-bit graph: requantized logits ${requantizedDrift.logit.toFixed(3)}, probabilities ${requantizedDrift.probability.toExponential(1)}; q8 ${q8Drift.logit.toFixed(3)}, ${q8Drift.probability.toExponential(1)}`);
    // The rewrite moves the model less than the two published quantizations differ from each other.
    expect(requantizedDrift.logit).toBeLessThan(q8Drift.logit);
    expect(requantizedDrift.probability).toBeLessThan(1e-3);

    const model = await lexiconModel('q4');
    expect(model.requantizedWeights).toEqual({ nodes: 57, bytes: 6_946_816 });
    expect(model.kernelLmHead).toEqual({ depth: 256, vocabulary: 4096 });
    expect((await lexiconModel('q8')).requantizedWeights).toBeUndefined();
  }, 60_000);
});
