// dequantizeIntegerWeights: an 8-bit graph's lookups and products on float weights (WebGPU's graph),
// with DequantizeLinear's exact values, run here on onnxruntime-web's WASM engine (the CPU reference).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseModelConfig } from '../../../runtime/core/model/model-config.js';
import { maxDequantizedWeightBytes, modelForEngine, sessionOptionsFor } from '../../../runtime/core/model/model-for-engine.js';
import { dequantizeIntegerWeights } from '../../../runtime/core/model/onnx/dequantize-integer-weights.js';
import { attentionShapeOf, fuseGroupQueryAttention } from '../../../runtime/core/model/onnx/fuse-group-query-attention.js';
import { initializerMessage, nodeMessage, onnxField, onnxTensorType, tensorValueInfo } from '../../../runtime/core/model/onnx/onnx-graph.js';
import { MessageWriter } from '../../../runtime/core/model/onnx/protobuf-wire.js';
import type { OrtEngine } from '../../../runtime/core/platform/ort-engine.js';
import { createWasmEngine } from '../../../runtime/node/ort-web-engine.js';
import { lexiconDirectory } from '../../support/lexicon-model.js';
import { lexiconGreedyLogits } from '../../support/lexicon-greedy-logits.js';
import { argmax } from '../../support/argmax.js';
import { opTypes } from '../../support/onnx-op-types.js';

const engine = createWasmEngine();
const config = parseModelConfig(JSON.parse(readFileSync(`${lexiconDirectory}config.json`, 'utf8')));
const options = { maxWeightBytes: maxDequantizedWeightBytes, path: 'dequantized-weights' };

function modelFile(name: string): Uint8Array {
  const file = readFileSync(`${lexiconDirectory}onnx/${name}`);
  return new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
}

type Node = Parameters<typeof nodeMessage>[0];
interface Tensor { name: string; type: number; dims: number[]; data: Uint8Array }

/** A one-graph model from nodes, initializers and typed inputs and outputs. */
function model(nodes: Node[], initializers: Tensor[], inputs: [string, number, (number | string)[]][], outputs: [string, number][]): Uint8Array {
  const graph = new MessageWriter();
  for (const node of nodes) graph.message(onnxField.graph.node, nodeMessage(node));
  for (const { name, type, dims, data } of initializers) graph.message(onnxField.graph.initializer, initializerMessage(name, type, dims, data));
  for (const [name, type, dims] of inputs) graph.message(onnxField.graph.input, tensorValueInfo(name, type, dims));
  for (const [name, type] of outputs) graph.message(onnxField.graph.output, tensorValueInfo(name, type));
  const opset = new MessageWriter().text(onnxField.opset.domain, '').varint(onnxField.opset.version, 17);
  return new MessageWriter().varint(1, 8).message(onnxField.model.graph, graph).message(onnxField.model.opsetImport, opset).finish();
}

const floats = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);

async function run(bytes: Uint8Array, feeds: Record<string, { type: 'float32' | 'int64'; data: Float32Array | BigInt64Array; dims: number[] }>, externalData?: { path: string; data: Uint8Array }[]): Promise<Float32Array> {
  const session = await engine.ort.InferenceSession.create(bytes, { executionProviders: engine.executionProviders, ...(externalData && { externalData }) });
  try {
    const tensors = Object.fromEntries(Object.entries(feeds).map(([name, { type, data, dims }]) => [name, new engine.ort.Tensor(type, data, dims)]));
    const outputs = await session.run(tensors);
    return outputs[session.outputNames[0]].data as Float32Array;
  } finally {
    await session.release();
  }
}

/** A lookup table of `rows` × `width` 8-bit levels, from a simple sequence that covers the range. */
const levelsOf = (count: number) => Uint8Array.from({ length: count }, (_, at) => (at * 37 + 11) % 256);

describe('dequantizeIntegerWeights', () => {
  it('turns lexicon-tiny q8\'s 57 integer products and its embedding lookup into float MatMul and Gather', () => {
    const original = modelFile('model_quantized.onnx');
    const result = dequantizeIntegerWeights(original, options);
    expect(result).toMatchObject({ lookups: 1, matMuls: 57 });
    const ops = opTypes(result.bytes);
    for (const op of ['MatMulInteger', 'DynamicQuantizeLinear', 'DequantizeLinear']) expect(ops).not.toContain(op);
    expect(ops.filter((op) => op === 'MatMul').length).toBe(16 + 57);
    // Four bytes a weight: the embedding table (4,096 × 256) and every projection and the head.
    expect(result.weightBytes).toBe(result.externalData!.data.length);
    expect(result.weightBytes).toBe(4 * (4096 * 256 + 8 * (256 * 256 * 2 + 256 * 128 * 2 + 256 * 704 * 3) + 256 * 4096));
    expect(result.bytes.length).toBeLessThan(original.length / 20);
    // New nodes keep their modules' names, so the attention fusion (which finds modules by name) still applies.
    expect(fuseGroupQueryAttention(result.bytes, attentionShapeOf(config)!, config.numLayers).fusedLayers).toBe(8);
  });

  it('looks an embedding up as the same float32 values DequantizeLinear gives (uint8 and int8 tables)', async () => {
    const [rows, width] = [6, 5];
    for (const [type, zero] of [[onnxTensorType.uint8, 131], [onnxTensorType.int8, -3]] as const) {
      const lookup = model(
        [
          { name: 'gather', opType: 'Gather', inputs: ['table', 'ids'], outputs: ['levels'], attributes: { axis: 0 } },
          { name: 'dequantize', opType: 'DequantizeLinear', inputs: ['levels', 'scale', 'zero'], outputs: ['embedded'] },
        ],
        [
          { name: 'table', type, dims: [rows, width], data: levelsOf(rows * width) },
          { name: 'scale', type: onnxTensorType.float, dims: [], data: floats([0.0123]) },
          { name: 'zero', type, dims: [], data: Uint8Array.of(zero & 0xff) },
        ],
        [['ids', onnxTensorType.int64, [2, 2]]],
        [['embedded', onnxTensorType.float]],
      );
      const result = dequantizeIntegerWeights(lookup, options);
      expect(result).toMatchObject({ lookups: 1, matMuls: 0 });
      expect(opTypes(result.bytes)).toEqual(['Gather']);
      const feeds = { ids: { type: 'int64' as const, data: BigInt64Array.of(5n, 0n, 2n, 5n), dims: [2, 2] } };
      const expected = await run(lookup, feeds);
      expect(await run(result.bytes, feeds, [result.externalData!])).toEqual(expected);
    }
  });

  it('multiplies by int8 weights with a zero point and a scale per column as MatMulInteger defines them', async () => {
    const [k, n] = [4, 3];
    const levels = levelsOf(k * n);
    const zeros = [-2, 0, 5];
    const scales = [0.02, 0.5, 0.125];
    const product = model(
      [
        { name: 'quantize', opType: 'DynamicQuantizeLinear', inputs: ['x'], outputs: ['q', 'q_scale', 'q_zero'] },
        { name: 'product', opType: 'MatMulInteger', inputs: ['q', 'w', 'q_zero', 'w_zero'], outputs: ['sums'] },
        { name: 'cast', opType: 'Cast', inputs: ['sums'], outputs: ['sums_float'], attributes: { to: onnxTensorType.float } },
        { name: 'scales', opType: 'Mul', inputs: ['q_scale', 'w_scale'], outputs: ['both_scales'] },
        { name: 'scaled', opType: 'Mul', inputs: ['sums_float', 'both_scales'], outputs: ['y'] },
      ],
      [
        { name: 'w', type: onnxTensorType.int8, dims: [k, n], data: levels },
        { name: 'w_zero', type: onnxTensorType.int8, dims: [n], data: Uint8Array.from(zeros, (zero) => zero & 0xff) },
        { name: 'w_scale', type: onnxTensorType.float, dims: [n], data: floats(scales) },
      ],
      [['x', onnxTensorType.float, [2, k]]],
      [['y', onnxTensorType.float]],
    );
    const result = dequantizeIntegerWeights(product, options);
    expect(result).toMatchObject({ lookups: 0, matMuls: 1 });
    expect(opTypes(result.bytes)).toEqual(['MatMul']);
    const x = [0.3, -1.2, 2.5, 0.07, -0.4, 0.9, 1.1, -2.2];
    const y = await run(result.bytes, { x: { type: 'float32', data: Float32Array.from(x), dims: [2, k] } }, [result.externalData!]);
    // x · ((w − zero) × scale), in float64.
    const expected = [0, 1].flatMap((row) => Array.from({ length: n }, (_, column) => x.slice(row * k, row * k + k).reduce((sum, value, i) => sum + value * (((levels[i * n + column] << 24) >> 24) - zeros[column]) * scales[column], 0)));
    y.forEach((value, at) => expect(value).toBeCloseTo(expected[at], 5));
  });

  it('leaves a graph unchanged when its weights are not constant, or would take more bytes than allowed', () => {
    const dynamicWeights = model(
      [
        { name: 'quantize', opType: 'DynamicQuantizeLinear', inputs: ['x'], outputs: ['q', 'q_scale', 'q_zero'] },
        { name: 'product', opType: 'MatMulInteger', inputs: ['q', 'w', 'q_zero'], outputs: ['sums'] },
      ],
      [],
      [['x', onnxTensorType.float, [1, 2]], ['w', onnxTensorType.uint8, [2, 2]]],
      [['sums', onnxTensorType.int32]],
    );
    expect(dequantizeIntegerWeights(dynamicWeights, options)).toEqual({ bytes: dynamicWeights, lookups: 0, matMuls: 0, weightBytes: 0 });
    const lexicon = modelFile('model_quantized.onnx');
    expect(dequantizeIntegerWeights(lexicon, { ...options, maxWeightBytes: 1e6 }).bytes).toBe(lexicon);
  });

  it('gives WebGPU a graph of float ops only that answers as the 8-bit graph does (run here on WASM)', async () => {
    const webgpu = { ...engine, name: 'webgpu' } as OrtEngine;
    const prepared = modelForEngine(webgpu, config, modelFile('model_quantized.onnx'));
    expect(prepared).toMatchObject({ fusedAttention: { layers: 8 }, lastPositionLogits: true, dequantizedWeights: { nodes: 58 } });
    const ops = opTypes(prepared.bytes);
    for (const op of ['MatMulInteger', 'DynamicQuantizeLinear', 'DequantizeLinear', 'Softmax']) expect(ops).not.toContain(op);
    const steps = 12;
    const quantized = await lexiconGreedyLogits(engine, modelFile('model_quantized.onnx'), steps);
    const floatWeights = await lexiconGreedyLogits(engine, prepared.bytes, steps, undefined, prepared.externalData);
    expect(floatWeights.rows.map(argmax)).toEqual(quantized.rows.map(argmax));
    // Activations no longer rounded to 8 bits: near the 8-bit graph's logits, not equal (6.4 % of the largest here).
    const largest = Math.max(...quantized.rows[0].map(Math.abs));
    const furthest = Math.max(...quantized.rows[0].map((value, at) => Math.abs(value - floatWeights.rows[0][at])));
    expect(furthest).toBeGreaterThan(0);
    expect(furthest / largest).toBeLessThan(0.1);
  });

  it('keeps the KV cache outputs, and only those, where a WebGPU engine asks (on the GPU between steps)', () => {
    const webgpu = { ...engine, name: 'webgpu', cacheLocation: 'gpu-buffer' } as OrtEngine;
    const sessionOptions = sessionOptionsFor(webgpu, undefined, ['present.0.key', 'present.0.value']);
    expect(sessionOptions.preferredOutputLocation).toEqual({ 'present.0.key': 'gpu-buffer', 'present.0.value': 'gpu-buffer' });
    expect(sessionOptionsFor(engine, undefined, ['present.0.key']).preferredOutputLocation).toBeUndefined();
  });
});
