// externalizeInitializers: the weights leave the protobuf for external data in the same bytes; the engine computes the same logits.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseModelConfig } from '../../../runtime/core/model/model-config.js';
import { modelForEngine, sessionOptionsFor } from '../../../runtime/core/model/model-for-engine.js';
import { externalizeInitializers, minExternalBytes } from '../../../runtime/core/model/onnx/externalize-initializers.js';
import { identityModel } from '../../../runtime/core/model/onnx/identity-model.js';
import { graphInitializers, onnxField, onnxTensorType, readGraph, type OnnxGraph } from '../../../runtime/core/model/onnx/onnx-graph.js';
import { MessageWriter } from '../../../runtime/core/model/onnx/protobuf-wire.js';
import { createWasmEngine } from '../../../runtime/node/ort-web-engine.js';
import { createNativeEngine, nativeEngineAvailable } from '../../../runtime/node/ort-native-engine.js';
import { lexiconDirectory } from '../../support/lexicon-model.js';
import { lexiconGreedyLogits } from '../../support/lexicon-greedy-logits.js';

const config = parseModelConfig(JSON.parse(readFileSync(`${lexiconDirectory}config.json`, 'utf8')));
const engine = createWasmEngine();

function modelFile(name: string): Uint8Array {
  const file = readFileSync(`${lexiconDirectory}onnx/${name}`);
  return new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
}

/** A graph whose one initializer `w` (float [2]) is external data at `offset`, `length` in the file "weights", with the graph read. */
function withOneExternalInitializer(offset: string, length: string): [Uint8Array, OnnxGraph] {
  const entry = (key: string, value: string) => new MessageWriter().text(onnxField.stringEntry.key, key).text(onnxField.stringEntry.value, value);
  const tensor = new MessageWriter()
    .varint(onnxField.tensor.dims, 2)
    .varint(onnxField.tensor.dataType, onnxTensorType.float)
    .text(onnxField.tensor.name, 'w')
    .message(onnxField.tensor.externalData, entry('location', 'weights'))
    .message(onnxField.tensor.externalData, entry('offset', offset))
    .message(onnxField.tensor.externalData, entry('length', length))
    .varint(onnxField.tensor.dataLocation, 1);
  const model = new MessageWriter().message(onnxField.model.graph, new MessageWriter().message(onnxField.graph.initializer, tensor)).finish();
  return [model, readGraph(model)!];
}

describe('externalizeInitializers', () => {
  const q8 = modelFile('model_quantized.onnx');
  const externalized = externalizeInitializers(q8, 'weights')!;

  it('leaves the graph in the protobuf and points every large initializer into the file’s own bytes, copying none', () => {
    expect(externalized.externalData.data).toBe(q8);
    expect(externalized.externalData.path).toBe('weights');
    expect(externalized.bytes.length).toBeLessThan(q8.length / 20);
    const before = graphInitializers(q8, readGraph(q8)!);
    const large = [...before.values()].filter((initializer) => (initializer.data?.length ?? 0) >= minExternalBytes);
    expect(externalized.initializers).toBe(large.length);
    expect(large.length).toBeGreaterThan(10);

    const after = graphInitializers(externalized.bytes, readGraph(externalized.bytes)!, externalized.externalData);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [name, initializer] of before) {
      const moved = after.get(name)!;
      expect({ name, dataType: moved.dataType, dims: moved.dims }).toEqual({ name, dataType: initializer.dataType, dims: initializer.dims });
      expect(Buffer.from(moved.data ?? []).equals(Buffer.from(initializer.data ?? [])), name).toBe(true);
      if (initializer.data && initializer.data.length >= minExternalBytes) expect(moved.data!.buffer).toBe(q8.buffer);
    }
  });

  it('gives onnxruntime-web the same weights: the logits of a prefill and 4 greedy steps are identical', async () => {
    const [plain, external] = [(await lexiconGreedyLogits(engine, q8, 4)).rows, (await lexiconGreedyLogits(engine, externalized.bytes, 4, undefined, [externalized.externalData])).rows];
    expect(external).toHaveLength(5);
    expect(external).toEqual(plain);
  });

  it('reads external data only from the file it names, and only within it (offsets and lengths checked)', () => {
    const graph = readGraph(externalized.bytes)!;
    const inline = graphInitializers(externalized.bytes, graph).size;
    const all = graphInitializers(externalized.bytes, graph, externalized.externalData).size;
    expect(all - inline).toBe(externalized.initializers);
    expect(graphInitializers(externalized.bytes, graph, { path: 'other', data: q8 }).size).toBe(inline);
    const truncated = { path: 'weights', data: q8.subarray(0, q8.length / 2) };
    expect(graphInitializers(externalized.bytes, graph, truncated).size).toBeLessThan(all);
    const file = { path: 'weights', data: new Uint8Array(16) };
    const readable = (offset: string, length: string) => graphInitializers(...withOneExternalInitializer(offset, length), file).has('w');
    expect(readable('8', '8')).toBe(true);
    expect(readable('-4', '8')).toBe(false);
    expect(readable('12', '8')).toBe(false);
    expect(readable('0', '-8')).toBe(false);
    expect(readable('x', '8')).toBe(false);
  });

  it('returns nothing to do for a model without large initializers, and a session without the external file fails with the reason', async () => {
    expect(externalizeInitializers(identityModel(), 'weights')).toBeUndefined();
    await expect(engine.ort.InferenceSession.create(externalized.bytes, sessionOptionsFor(engine))).rejects.toThrow();
  });
});

describe('modelForEngine and external weights', () => {
  it('on WASM, the prepared graph reads its weights from the file’s bytes (and 4-bit weights requantized at load from a second file)', () => {
    const q8 = modelFile('model_quantized.onnx');
    const prepared = modelForEngine(engine, config, q8);
    expect(prepared.externalData?.map((file) => file.path)).toEqual(['weights']);
    expect(prepared.externalData?.[0].data).toBe(q8);
    expect(prepared.bytes.length).toBeLessThan(q8.length / 20);
    expect(prepared.detachedHead && prepared.fusedAttention && prepared.lastPositionLogits).toBeTruthy();

    const q4 = modelForEngine(engine, config, modelFile('model_q4.onnx'));
    expect(q4.requantizedWeights?.nodes).toBeGreaterThan(0);
    expect(q4.externalData?.map((file) => file.path)).toEqual(['weights', 'requantized-weights']);
    expect(q4.bytes.length).toBeLessThan(1024 * 1024);
  });

  it('keeps the model\'s own weights inline elsewhere: native takes no external data from memory, WebGPU only its float weights', async () => {
    const q8 = modelFile('model_quantized.onnx');
    expect(modelForEngine({ ...engine, name: 'webgpu' }, config, q8).externalData?.map((file) => file.path)).toEqual(['dequantized-weights']);
    expect(modelForEngine({ ...engine, name: 'webgpu' }, config, modelFile('model_q4.onnx')).externalData).toBeUndefined();
    if (await nativeEngineAvailable()) expect(modelForEngine(await createNativeEngine({ threads: 1 }), config, q8).externalData).toBeUndefined();
  });
});
