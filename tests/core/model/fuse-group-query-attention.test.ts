// fuseGroupQueryAttention: each layer's exported attention becomes one GroupQueryAttention node with the same results.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CausalLM } from '../../../runtime/core/model/causal-lm.js';
import { parseModelConfig } from '../../../runtime/core/model/model-config.js';
import { modelForEngine } from '../../../runtime/core/model/model-for-engine.js';
import { attentionShapeOf, fuseGroupQueryAttention, rotaryCaches, sequenceLengthNames } from '../../../runtime/core/model/onnx/fuse-group-query-attention.js';
import { indexGraph, readGraph } from '../../../runtime/core/model/onnx/onnx-graph.js';
import type { OrtEngine } from '../../../runtime/core/platform/ort-engine.js';
import { buildPrompt } from '../../../runtime/core/generation/prompt-builder.js';
import { createWasmEngine } from '../../../runtime/node/ort-web-engine.js';
import { createNativeEngine, nativeEngineAvailable } from '../../../runtime/node/ort-native-engine.js';
import { lexiconDirectory, lexiconModel } from '../../support/lexicon-model.js';
import { matMulNBitsModel } from '../../support/matmul-nbits-model.js';
import { opTypes } from '../../support/onnx-op-types.js';
import { argmax } from '../../support/argmax.js';

const config = parseModelConfig(JSON.parse(readFileSync(`${lexiconDirectory}config.json`, 'utf8')));
const shape = attentionShapeOf(config)!;
const hasNative = await nativeEngineAvailable();

function modelFile(name: string): Uint8Array {
  const file = readFileSync(`${lexiconDirectory}onnx/${name}`);
  return new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
}

/** Greedy decoding on `bytes` through the core's DecoderSequence, with every step's logits. */
async function greedyTrace(engine: OrtEngine, bytes: Uint8Array, promptIds: number[], steps: number): Promise<{ tokens: number[]; logits: Float32Array[] }> {
  const lm = await CausalLM.create(engine, config, { bytes }, 'model.onnx');
  const sequence = lm.newSequence();
  const tokens: number[] = [];
  const logits: Float32Array[] = [];
  try {
    let input = promptIds;
    for (let step = 0; step < steps; step++) {
      const last = await sequence.step(input);
      logits.push(last.slice());
      const best = argmax(last);
      tokens.push(best);
      input = [best];
    }
    return { tokens, logits };
  } finally {
    sequence.dispose();
    await lm.release();
  }
}

function maxDifference(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((row, step) => row.forEach((value, i) => (worst = Math.max(worst, Math.abs(value - b[step][i])))));
  return worst;
}

async function expectSameAnswers(engine: OrtEngine, file: string): Promise<void> {
  const original = modelFile(file);
  const fused = fuseGroupQueryAttention(original, shape, config.numLayers);
  expect(fused.fusedLayers).toBe(8);
  const { tokenizer, contextLength } = await lexiconModel('q8');
  for (const question of ['What does river mean?', 'What does harbor mean?', 'What does blorvantic mean?']) {
    const promptIds = buildPrompt(tokenizer, [{ role: 'user', content: question }], { contextLength, reserveForAnswer: 32 }).ids;
    const reference = await greedyTrace(engine, original, promptIds, 24);
    const rewritten = await greedyTrace(engine, fused.bytes, promptIds, 24);
    expect(rewritten.tokens).toEqual(reference.tokens);
    // The prefill's logits agree to float rounding. q4's weights are fp32 (WASM) or kernel-dequantized,
    // so every step does; q8 quantizes each activation to 8 bits, which turns rounding-sized
    // differences in the attention output into a level's worth now and then (≤ 0.61 seen, tokens same).
    expect(maxDifference(rewritten.logits.slice(0, 1), reference.logits.slice(0, 1))).toBeLessThan(1e-4);
    expect(maxDifference(rewritten.logits, reference.logits)).toBeLessThan(file === 'model_q4.onnx' ? 1e-4 : 1);
  }
}

describe('fuseGroupQueryAttention', () => {
  it('turns lexicon-tiny q8 attention into 8 GroupQueryAttention nodes and drops the plumbing: 1,553 → 481 nodes', () => {
    const fused = fuseGroupQueryAttention(modelFile('model_quantized.onnx'), shape, config.numLayers);
    expect(fused).toMatchObject({ fusedLayers: 8, nodesBefore: 1553, nodesAfter: 481 });
    const ops = opTypes(fused.bytes);
    expect(ops.filter((op) => op === 'GroupQueryAttention')).toHaveLength(8);
    for (const gone of ['Tile', 'Softmax', 'Where', 'Sin', 'Cos', 'Neg']) expect(ops).not.toContain(gone);
    // The projections and the MLP stay as exported: 7 quantized matrices a layer and the head.
    expect(ops.filter((op) => op === 'MatMulInteger')).toHaveLength(57);
    // The lengths GroupQueryAttention reads are int32 inputs the core feeds, not Casts of the int64
    // mask: the only Casts left turn a MatMulInteger's sum to float, which onnxruntime fuses into
    // MatMulIntegerToFloat, so its Cast kernel (a 490 KB WASM function) never runs.
    const graph = readGraph(fused.bytes)!;
    expect(graph.inputNames).toEqual(expect.arrayContaining(['attention_mask', sequenceLengthNames.seqlensK, sequenceLengthNames.totalSequenceLength]));
    const { producer } = indexGraph(graph);
    const casts = graph.nodes.filter((node) => node.opType === 'Cast');
    expect(casts).toHaveLength(57);
    for (const cast of casts) expect(producer.get(cast.inputs[0])?.opType).toBe('MatMulInteger');
  });

  it('gives the tokens and logits of the exported graph on WASM, q8', () => expectSameAnswers(createWasmEngine(), 'model_quantized.onnx'), 60_000);

  it('gives the tokens and logits of the exported graph on WASM, q4', () => expectSameAnswers(createWasmEngine(), 'model_q4.onnx'), 60_000);

  it.runIf(hasNative)('gives the tokens and logits of the exported graph on native onnxruntime-node, q8 and q4', async () => {
    const engine = await createNativeEngine({ threads: 1 });
    await expectSameAnswers(engine, 'model_quantized.onnx');
    await expectSameAnswers(engine, 'model_q4.onnx');
  }, 60_000);

  it('leaves a graph it does not recognise, or a layer count that does not match, as it is', () => {
    const foreign = matMulNBitsModel({ k: 32, n: 4, blockSize: 32, levels: [[...Array(32).fill(1)], [...Array(32).fill(2)], [...Array(32).fill(3)], [...Array(32).fill(4)]], scales: [[1], [1], [1], [1]] });
    const unknown = fuseGroupQueryAttention(foreign, shape, 1);
    expect(unknown.bytes).toBe(foreign);
    expect(unknown.fusedLayers).toBe(0);
    const model = modelFile('model_quantized.onnx');
    const mismatched = fuseGroupQueryAttention(model, shape, 9);
    expect(mismatched.bytes).toBe(model);
    expect(mismatched.fusedLayers).toBe(0);
  });

  it('applies to plain rotary llama-family configs only', () => {
    const base = JSON.parse(readFileSync(`${lexiconDirectory}config.json`, 'utf8'));
    expect(attentionShapeOf(parseModelConfig(base))).toEqual({ numHeads: 8, numKeyValueHeads: 4, headDim: 32, maxPositions: 512, ropeTheta: 10000 });
    expect(attentionShapeOf(parseModelConfig({ ...base, rope_scaling: { rope_type: 'llama3', factor: 8 } }))).toBeUndefined();
    expect(attentionShapeOf(parseModelConfig({ ...base, partial_rotary_factor: 0.5 }))).toBeUndefined();
    expect(attentionShapeOf(parseModelConfig({ ...base, model_type: 'gpt2', n_layer: 2, n_head: 4, n_embd: 64 }))).toBeUndefined();
  });

  it('builds the rotary tables cos/sin(position / θ^(2i/d))', () => {
    const { cos, sin } = rotaryCaches(shape);
    expect(cos).toHaveLength(512 * 16);
    for (const [position, i] of [[0, 0], [1, 0], [7, 3], [300, 15], [511, 8]]) {
      const angle = position / 10000 ** ((2 * i) / 32);
      expect(cos[position * 16 + i]).toBeCloseTo(Math.cos(angle), 5);
      expect(sin[position * 16 + i]).toBeCloseTo(Math.sin(angle), 5);
    }
  });

  it('a loaded model says what was fused, on every engine', async () => {
    const loaded = await lexiconModel('q8');
    expect(loaded.fusedAttention).toEqual({ layers: 8, nodesBefore: 1553, nodesAfter: 481 });
    expect(loaded.lm.io.hasSequenceLengths).toBe(true);
    // WebGPU too: its kernels compute the exported attention's rotary positions wrongly (SwiftShader), the fused node's right.
    expect(modelForEngine({ ...createWasmEngine(), name: 'webgpu' }, config, modelFile('model_quantized.onnx')).fusedAttention).toEqual(loaded.fusedAttention);
  });
});
