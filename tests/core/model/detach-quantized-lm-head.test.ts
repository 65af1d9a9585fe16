// detachQuantizedLmHead: lexicon-tiny's 8-bit LM head runs in our WASM kernel, and the logits are ORT's, bit for bit.
import { readFileSync } from 'node:fs';
import type { InferenceSession } from 'onnxruntime-common';
import { describe, expect, it } from 'vitest';
import { parseModelConfig } from '../../../runtime/core/model/model-config.js';
import { detachedHeadLogits, modelForEngine } from '../../../runtime/core/model/model-for-engine.js';
import { detachQuantizedLmHead } from '../../../runtime/core/model/onnx/detach-quantized-lm-head.js';
import { graphInitializers, initializerMessage, initializerName, onnxField, onnxTensorType, readGraph, withGraph } from '../../../runtime/core/model/onnx/onnx-graph.js';
import { MessageWriter } from '../../../runtime/core/model/onnx/protobuf-wire.js';
import { sliceLogitsToLastPosition } from '../../../runtime/core/model/onnx/slice-logits-to-last-position.js';
import { QuantizedLmHead } from '../../../runtime/core/model/quantized-lm-head.js';
import { createWasmEngine } from '../../../runtime/node/ort-web-engine.js';
import { createNativeEngine, nativeEngineAvailable } from '../../../runtime/node/ort-native-engine.js';
import { lexiconDirectory, lexiconModel } from '../../support/lexicon-model.js';
import { lastLogitsRow, lexiconGreedyLogits } from '../../support/lexicon-greedy-logits.js';
import { matMulNBitsModel } from '../../support/matmul-nbits-model.js';
import { opTypes } from '../../support/onnx-op-types.js';

const configJson = JSON.parse(readFileSync(`${lexiconDirectory}config.json`, 'utf8')) as { hidden_size: number };
const config = parseModelConfig(configJson);
const hiddenSize = configJson.hidden_size;
const engine = createWasmEngine();

function modelFile(name: string): Uint8Array {
  const file = readFileSync(`${lexiconDirectory}onnx/${name}`);
  return new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
}

const count = (ops: string[], op: string) => ops.filter((each) => each === op).length;

const greedyLogits = (bytes: Uint8Array, steps: number, logitsOf: (outputs: InferenceSession.OnnxValueMapType) => Float32Array) => lexiconGreedyLogits(engine, bytes, steps, logitsOf);
const engineLogits = lastLogitsRow;

/** The detached graph's logits: its outputs through the kernel. */
async function kernelLogits(bytes: Uint8Array, steps: number) {
  const detached = detachQuantizedLmHead(bytes);
  if (!detached) throw new Error('the LM head was not detached');
  const head = { kernel: QuantizedLmHead.create(detached.head)!, outputs: detached.outputs };
  return greedyLogits(detached.bytes, steps, (outputs) => detachedHeadLogits(head, outputs));
}

/**
 * The model with its LM head's uint8 weights and zero point rewritten as int8 (each minus 128), as
 * transformers.js's q8 exports store them: MatMulInteger's differences, and so the logits, are unchanged.
 */
function withInt8LmHead(model: Uint8Array, zeroPointIn: 'raw_data' | 'int32_data' = 'raw_data'): Uint8Array {
  const graph = readGraph(model)!;
  const initializers = graphInitializers(model, graph);
  const head = graph.nodes.find((node) => node.opType === 'MatMulInteger' && initializers.get(node.inputs[1])?.dims.join() === `${hiddenSize},${config.vocabSize}`)!;
  const [weightName, zeroName] = [head.inputs[1], head.inputs[3]];
  const weights = initializers.get(weightName)!.data!;
  const zeroPoint = initializers.get(zeroName)!.int32Data![0];
  const writer = new MessageWriter();
  for (const field of graph.fields) {
    const name = field.number === onnxField.graph.initializer ? initializerName(model, field) : '';
    if (name === weightName) writer.message(onnxField.graph.initializer, initializerMessage(name, onnxTensorType.int8, [hiddenSize, config.vocabSize], weights.map((byte) => byte ^ 0x80)));
    else if (name === zeroName && zeroPointIn === 'raw_data') writer.message(onnxField.graph.initializer, initializerMessage(name, onnxTensorType.int8, [], Uint8Array.of((zeroPoint - 128) & 0xff)));
    // int32_data holds a negative value as a varint of its 64-bit two's complement (10 bytes).
    else if (name === zeroName) writer.message(onnxField.graph.initializer, new MessageWriter().varint(onnxField.tensor.dataType, onnxTensorType.int8).text(onnxField.tensor.name, name).bytes(onnxField.tensor.int32Data, signedVarint(zeroPoint - 128)));
    else writer.raw(model.subarray(field.fieldStart, field.end));
  }
  return withGraph(model, graph.graphField, writer);
}

function signedVarint(value: number): Uint8Array {
  const bytes: number[] = [];
  let rest = BigInt.asUintN(64, BigInt(value));
  do {
    bytes.push(Number(rest & 0x7fn) | (rest > 0x7fn ? 0x80 : 0));
    rest >>= 7n;
  } while (rest > 0n);
  return Uint8Array.from(bytes);
}

describe('detachQuantizedLmHead', () => {
  it('takes lexicon-tiny q8\'s head (MatMulInteger, Cast, two Mul) and its 1 MB of weights out of the graph', () => {
    const sliced = sliceLogitsToLastPosition(modelFile('model_quantized.onnx')).bytes;
    const detached = detachQuantizedLmHead(sliced)!;
    expect(detached).toBeDefined();
    const before = opTypes(sliced);
    const after = opTypes(detached.bytes);
    expect(after.length).toBe(before.length - 4);
    expect(count(after, 'MatMulInteger')).toBe(count(before, 'MatMulInteger') - 1);
    expect(count(after, 'Cast')).toBe(count(before, 'Cast') - 1);
    expect(count(after, 'Mul')).toBe(count(before, 'Mul') - 2);
    expect(detached.head).toMatchObject({ depth: hiddenSize, vocabulary: config.vocabSize });
    expect(detached.head.weights.length).toBe(hiddenSize * config.vocabSize);
    expect(sliced.length - detached.bytes.length).toBeGreaterThan(detached.head.weights.length);
    expect(detachQuantizedLmHead(detached.bytes)).toBeUndefined();
  });

  // The quantizer stays in the graph and the integer sums are exact, so nothing may differ.
  it('gives the same logits as onnxruntime-web, bit for bit, over a prefill and 6 greedy steps', async () => {
    const sliced = sliceLogitsToLastPosition(modelFile('model_quantized.onnx')).bytes;
    const reference = await greedyLogits(sliced, 6, engineLogits);
    const detached = await kernelLogits(sliced, 6);
    expect(detached.outputNames).not.toContain('logits');
    expect(detached.rows).toEqual(reference.rows);
  }, 60_000);

  it('does the same on the graph as exported, where the head sees every prompt position and the kernel reads the last', async () => {
    const original = modelFile('model_quantized.onnx');
    expect((await kernelLogits(original, 2)).rows).toEqual((await greedyLogits(original, 2, engineLogits)).rows);
  }, 60_000);

  it('takes int8 weights (transformers.js\'s q8 exports) too, with the same logits as onnxruntime-web on them, bit for bit', async () => {
    const int8 = withInt8LmHead(sliceLogitsToLastPosition(modelFile('model_quantized.onnx')).bytes);
    const { zeroPoint } = detachQuantizedLmHead(int8)!.head;
    expect(detachQuantizedLmHead(int8)?.head).toMatchObject({ signed: true, depth: hiddenSize, vocabulary: config.vocabSize });
    expect(zeroPoint).toBeLessThan(0);
    expect(detachQuantizedLmHead(withInt8LmHead(sliceLogitsToLastPosition(modelFile('model_quantized.onnx')).bytes, 'int32_data'))?.head.zeroPoint).toBe(zeroPoint);
    expect((await kernelLogits(int8, 3)).rows).toEqual((await greedyLogits(int8, 3, engineLogits)).rows);
  }, 60_000);

  it('leaves heads it does not recognise alone: 4-bit MatMulNBits (q4), a graph without logits', () => {
    expect(detachQuantizedLmHead(sliceLogitsToLastPosition(modelFile('model_q4.onnx')).bytes)).toBeUndefined();
    expect(detachQuantizedLmHead(matMulNBitsModel({ k: 32, n: 2, blockSize: 32, levels: [Array(32).fill(1), Array(32).fill(2)], scales: [[1], [1]] }))).toBeUndefined();
  });

  it('is part of preparing an 8-bit model on WASM only (q8, and q4 once requantized), and a loaded model says so', async () => {
    const q8 = modelFile('model_quantized.onnx');
    expect(modelForEngine(engine, config, q8).detachedHead?.outputs.activations).toBeDefined();
    expect(modelForEngine({ ...engine, name: 'webgpu' }, config, q8).detachedHead).toBeUndefined();
    if (await nativeEngineAvailable()) expect(modelForEngine(await createNativeEngine({ threads: 1 }), config, q8).detachedHead).toBeUndefined();
    expect((await lexiconModel('q8')).kernelLmHead).toEqual({ depth: hiddenSize, vocabulary: config.vocabSize });
    expect((await lexiconModel('q4')).kernelLmHead).toEqual({ depth: hiddenSize, vocabulary: config.vocabSize });
  }, 60_000);
});
