// sliceLogitsToLastPosition: the LM head sees only the last position; the logits the core reads, and the KV cache, do not change.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseModelConfig } from '../../../runtime/core/model/model-config.js';
import { modelForEngine } from '../../../runtime/core/model/model-for-engine.js';
import { sliceLogitsToLastPosition } from '../../../runtime/core/model/onnx/slice-logits-to-last-position.js';
import type { OrtEngine } from '../../../runtime/core/platform/ort-engine.js';
import { buildPrompt } from '../../../runtime/core/generation/prompt-builder.js';
import { createWasmEngine } from '../../../runtime/node/ort-web-engine.js';
import { createNativeEngine, nativeEngineAvailable } from '../../../runtime/node/ort-native-engine.js';
import { lexiconDirectory, lexiconModel } from '../../support/lexicon-model.js';
import { matMulNBitsModel } from '../../support/matmul-nbits-model.js';
import { greedySessionSteps } from '../../support/greedy-session-steps.js';
import { opTypes } from '../../support/onnx-op-types.js';

const config = parseModelConfig(JSON.parse(readFileSync(`${lexiconDirectory}config.json`, 'utf8')));
const hasNative = await nativeEngineAvailable();

function modelFile(name: string): Uint8Array {
  const file = readFileSync(`${lexiconDirectory}onnx/${name}`);
  return new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
}

/** Prefill then `steps` greedy steps straight on a session: every step's outputs, as the engine returns them. */
async function greedyOutputs(engine: OrtEngine, bytes: Uint8Array, promptIds: number[], steps: number): Promise<{ logitDims: number[][]; lastRows: Float32Array[]; kv: Float32Array[] }> {
  const session = await engine.ort.InferenceSession.create(bytes, { executionProviders: engine.executionProviders, graphOptimizationLevel: 'all', ...engine.sessionOptions });
  const result = { logitDims: [] as number[][], lastRows: [] as Float32Array[], kv: [] as Float32Array[] };
  try {
    await greedySessionSteps(engine, session, config, promptIds, steps, (outputs) => {
      const logits = outputs.logits.data as Float32Array;
      const last = logits.slice(logits.length - config.vocabSize);
      result.logitDims.push([...outputs.logits.dims]);
      result.lastRows.push(last);
      result.kv.push((outputs[`present.${config.numLayers - 1}.value`].data as Float32Array).slice());
      return last;
    });
    return result;
  } finally {
    await session.release();
  }
}

function maxDifference(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((row, step) => row.forEach((value, i) => (worst = Math.max(worst, Math.abs(value - b[step][i])))));
  return worst;
}

async function expectSameLastRows(engine: OrtEngine, file: string, tolerance: number): Promise<void> {
  const original = modelFile(file);
  const sliced = sliceLogitsToLastPosition(original);
  expect(sliced.sliced).toBe(true);
  const { tokenizer, contextLength } = await lexiconModel('q8');
  const promptIds = buildPrompt(tokenizer, [{ role: 'user', content: 'What does harbor mean?' }], { contextLength, reserveForAnswer: 16 }).ids;
  const reference = await greedyOutputs(engine, original, promptIds, 6);
  const rewritten = await greedyOutputs(engine, sliced.bytes, promptIds, 6);
  expect(reference.logitDims[0]).toEqual([1, promptIds.length, config.vocabSize]);
  expect(rewritten.logitDims).toEqual(Array(7).fill([1, 1, config.vocabSize]));
  expect(maxDifference(rewritten.lastRows, reference.lastRows)).toBeLessThanOrEqual(tolerance);
  expect(maxDifference(rewritten.kv, reference.kv)).toBe(0);
}

describe('sliceLogitsToLastPosition', () => {
  it('puts one Slice in front of the LM head of lexicon-tiny q8 (after its quantizer) and q4, and runs once only', () => {
    for (const file of ['model_quantized.onnx', 'model_q4.onnx']) {
      const before = opTypes(modelFile(file));
      const sliced = sliceLogitsToLastPosition(modelFile(file));
      expect(sliced.sliced).toBe(true);
      const after = opTypes(sliced.bytes);
      expect(after.length).toBe(before.length + 1);
      expect(after.filter((op) => op === 'Slice').length).toBe(before.filter((op) => op === 'Slice').length + 1);
      const again = sliceLogitsToLastPosition(sliced.bytes);
      expect(again.sliced).toBe(false);
      expect(again.bytes).toBe(sliced.bytes);
    }
  });

  // On WASM the last row is bit for bit the same: the same kernels on the same inputs, one row instead of many.
  it('gives the same last-position logits and KV cache on WASM, q8 and q4', async () => {
    await expectSameLastRows(createWasmEngine(), 'model_quantized.onnx', 0);
    await expectSameLastRows(createWasmEngine(), 'model_q4.onnx', 0);
  }, 60_000);

  // Native MatMulNBits takes another kernel path for a single row: float rounding (≤ 1.2e-5 seen).
  it.runIf(hasNative)('gives the same last-position logits and KV cache on native onnxruntime-node, q8 and q4', async () => {
    const engine = await createNativeEngine({ threads: 1 });
    await expectSameLastRows(engine, 'model_quantized.onnx', 0);
    await expectSameLastRows(engine, 'model_q4.onnx', 1e-4);
  }, 60_000);

  it('leaves a graph without a rank-3 logits output as it is', () => {
    const foreign = matMulNBitsModel({ k: 32, n: 2, blockSize: 32, levels: [Array(32).fill(1), Array(32).fill(2)], scales: [[1], [1]] });
    const result = sliceLogitsToLastPosition(foreign);
    expect(result.sliced).toBe(false);
    expect(result.bytes).toBe(foreign);
  });

  it('is part of preparing the model on every engine, and a loaded model says so', async () => {
    expect((await lexiconModel('q8')).lastPositionLogits).toBe(true);
    expect(modelForEngine({ ...createWasmEngine(), name: 'webgpu' }, config, modelFile('model_quantized.onnx')).lastPositionLogits).toBe(true);
  });
});
