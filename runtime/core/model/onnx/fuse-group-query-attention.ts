// Replaces each layer's exported attention (rotary, KV concat, repeat-KV, mask, softmax: ~60 nodes)
// with one com.microsoft GroupQueryAttention node.
//
// Why: a torch export of a llama decoder is mostly shape plumbing: lexicon-tiny runs 622 nodes a
// decode step, two thirds of them Shape/Gather/Unsqueeze/Concat/Slice/Tile/Reshape/Transpose on a
// handful of numbers. Each costs a kernel launch, and on WASM that overhead dominates the step.
// GroupQueryAttention is onnxruntime's fused kernel for exactly this (CPU, WASM and WebGPU), the
// one its own model builder emits; the projections, norms and MLP stay as exported.
import type { ModelConfig } from '../model-config.js';
import { MessageWriter } from './protobuf-wire.js';
import { indexGraph, initializerMessage, nodeMessage, onnxField, onnxTensorType, readGraph, tensorValueInfo, withGraph, type GraphIndex, type OnnxNode } from './onnx-graph.js';

/** What the fusion needs from config.json: plain rotary embeddings, no scaling or partial rotation. */
export interface AttentionShape {
  numHeads: number;
  numKeyValueHeads: number;
  headDim: number;
  maxPositions: number;
  ropeTheta: number;
}

export interface FusionResult {
  bytes: Uint8Array;
  /** Layers whose attention now runs as one GroupQueryAttention node (0: the model is unchanged). */
  fusedLayers: number;
  nodesBefore: number;
  nodesAfter: number;
}

/** Model types whose export this fusion understands (llama-style attention, rotate-half rotary). */
const fusableModelTypes = new Set(['llama', 'qwen2']);

/** The attention shape of `config` when the fusion applies to its family, else undefined. */
export function attentionShapeOf(config: ModelConfig): AttentionShape | undefined {
  if (!fusableModelTypes.has(config.modelType) || !config.rope) return undefined;
  return { numHeads: config.numAttentionHeads, numKeyValueHeads: config.numKeyValueHeads, headDim: config.headDim, maxPositions: config.maxPositions, ropeTheta: config.rope.theta };
}

interface LayerAttention {
  layer: number;
  query: string;
  key: string;
  value: string;
  /** The attention output: what o_proj (or the quantizer in front of it) reads. */
  output: string;
}

const prefix = 'nexus_gqa/';

/** The graph inputs a fused model adds (see sequenceLengthInputs). */
export const sequenceLengthNames = { seqlensK: 'seqlens_k', totalSequenceLength: 'total_sequence_length' } as const;

/**
 * Fuses every layer's attention, or none: a model whose graph does not look as expected (names,
 * producers, layer count) is returned unchanged, so an unfamiliar export runs as it is. A fused
 * graph takes two more inputs, `sequenceLengthNames`; attention_mask and position_ids stay inputs,
 * read by nothing.
 */
export function fuseGroupQueryAttention(model: Uint8Array, shape: AttentionShape, numLayers: number): FusionResult {
  const graph = readGraph(model);
  const nodesBefore = graph?.nodes.length ?? 0;
  const unchanged: FusionResult = { bytes: model, fusedLayers: 0, nodesBefore, nodesAfter: nodesBefore };
  if (!graph || graph.opsetVersion < 13 || !graph.inputNames.includes('attention_mask')) return unchanged;
  if (Object.values(sequenceLengthNames).some((name) => graph.inputNames.includes(name))) return unchanged;
  const index = indexGraph(graph);
  const layers: LayerAttention[] = [];
  for (let layer = 0; layer < numLayers; layer++) {
    const found = findLayerAttention(index, layer);
    if (!found) return unchanged;
    layers.push(found);
  }
  const { producer } = index;
  const replacedProducers = new Set<OnnxNode>();
  for (const { layer, output } of layers) {
    for (const tensor of [output, `present.${layer}.key`, `present.${layer}.value`]) {
      const node = producer.get(tensor);
      if (!node || !graph.outputNames.includes(`present.${layer}.key`)) return unchanged;
      replacedProducers.add(node);
    }
  }

  // Each layer's GroupQueryAttention takes the place of the node that produced the attention output.
  const layerAt = new Map(layers.map((layer) => [producer.get(layer.output)!, layer]));
  const kept = graph.nodes.filter((node) => !replacedProducers.has(node) || layerAt.has(node));
  const live = liveNodes(
    kept,
    graph.outputNames,
    (node) => (layerAt.has(node) ? outputsOf(layerAt.get(node)!) : node.outputs),
    (node) => (layerAt.has(node) ? inputsOf(layerAt.get(node)!) : node.inputs),
  );

  const writer = new MessageWriter();
  const nodeAt = new Map(graph.nodes.map((node) => [node.field.fieldStart, node]));
  for (const field of graph.fields) {
    const node = nodeAt.get(field.fieldStart);
    if (node && !live.has(node)) continue;
    const layer = node && layerAt.get(node);
    if (layer) writer.message(onnxField.graph.node, attentionNode(layer, shape));
    else writer.raw(model.subarray(field.fieldStart, field.end));
  }
  for (const input of sequenceLengthInputs()) writer.message(onnxField.graph.input, input);
  for (const initializer of rotaryInitializers(shape)) writer.message(onnxField.graph.initializer, initializer);
  return { bytes: withGraph(model, graph.graphField, writer), fusedLayers: layers.length, nodesBefore, nodesAfter: live.size };
}

/** The one tensor a module's nodes hand to nodes outside it, e.g. q_proj's projected query. */
function moduleOutput(index: GraphIndex, modulePrefix: string): string | undefined {
  const inside = index.graph.nodes.filter((node) => node.name.startsWith(modulePrefix));
  if (inside.length === 0) return undefined;
  const leaving = new Set<string>();
  for (const output of inside.flatMap((node) => node.outputs)) {
    if (index.consumers.get(output)?.some((reader) => !reader.name.startsWith(modulePrefix))) leaving.add(output);
  }
  return leaving.size === 1 ? [...leaving][0] : undefined;
}

/** What a module reads from outside it, stepping back over a dynamic quantizer in front of it. */
function moduleActivation(index: GraphIndex, modulePrefix: string): string | undefined {
  const inside = index.graph.nodes.filter((node) => node.name.startsWith(modulePrefix));
  const sources = new Set(inside.flatMap((node) => node.inputs.map((input) => index.producer.get(input)).filter((node): node is OnnxNode => node !== undefined && !node.name.startsWith(modulePrefix))));
  if (sources.size !== 1) return undefined;
  const [source] = sources;
  if (source.opType === 'DynamicQuantizeLinear') return source.inputs[0];
  const read = inside.flatMap((node) => node.inputs).filter((input) => source.outputs.includes(input));
  return new Set(read).size === 1 ? read[0] : undefined;
}

function findLayerAttention(index: GraphIndex, layer: number): LayerAttention | undefined {
  const { inputNames } = index.graph;
  const attention = `/layers.${layer}/self_attn/`;
  const query = moduleOutput(index, `${attention}q_proj/`);
  const key = moduleOutput(index, `${attention}k_proj/`);
  const value = moduleOutput(index, `${attention}v_proj/`);
  const output = moduleActivation(index, `${attention}o_proj/`);
  if (!query || !key || !value || !output) return undefined;
  if (!inputNames.includes(`past_key_values.${layer}.key`) || !inputNames.includes(`past_key_values.${layer}.value`)) return undefined;
  return { layer, query, key, value, output };
}

function inputsOf(layer: LayerAttention): string[] {
  return [layer.query, layer.key, layer.value, `past_key_values.${layer.layer}.key`, `past_key_values.${layer.layer}.value`, sequenceLengthNames.seqlensK, sequenceLengthNames.totalSequenceLength, `${prefix}cos_cache`, `${prefix}sin_cache`];
}

function outputsOf(layer: LayerAttention): string[] {
  return [layer.output, `present.${layer.layer}.key`, `present.${layer.layer}.value`];
}

function attentionNode(layer: LayerAttention, shape: AttentionShape): MessageWriter {
  return nodeMessage({
    name: `${prefix}layers.${layer.layer}`,
    opType: 'GroupQueryAttention',
    domain: 'com.microsoft',
    inputs: inputsOf(layer),
    outputs: outputsOf(layer),
    attributes: { num_heads: shape.numHeads, kv_num_heads: shape.numKeyValueHeads, do_rotary: 1, rotary_interleaved: 0 },
  });
}

/**
 * GroupQueryAttention's view of the sequence, fed by the caller as int32 (DecoderSequence knows the
 * lengths): seqlens_k [batch] = tokens in the cache after this step − 1, total_sequence_length (a
 * scalar) = tokens after this step. Computing them in the graph from attention_mask needs two Casts
 * from int64, and onnxruntime-web's Cast kernel is one 490 KB WASM function that V8 tiers up after a
 * few dozen steps, with ~217 MB of compiler memory: most of the WASM appliance's peak RSS.
 */
function sequenceLengthInputs(): MessageWriter[] {
  return [tensorValueInfo(sequenceLengthNames.seqlensK, onnxTensorType.int32, ['batch_size']), tensorValueInfo(sequenceLengthNames.totalSequenceLength, onnxTensorType.int32, [])];
}

function rotaryInitializers(shape: AttentionShape): MessageWriter[] {
  const { cos, sin } = rotaryCaches(shape);
  const rotaryDims = [shape.maxPositions, shape.headDim / 2];
  return [
    initializerMessage(`${prefix}cos_cache`, onnxTensorType.float, rotaryDims, new Uint8Array(cos.buffer)),
    initializerMessage(`${prefix}sin_cache`, onnxTensorType.float, rotaryDims, new Uint8Array(sin.buffer)),
  ];
}

/**
 * cos/sin of position × inverse frequency, [maxPositions][headDim/2], rounded as the export rounds
 * them: inverse frequencies 1 / θ^(2i/d) and their products with positions in float32.
 */
export function rotaryCaches(shape: AttentionShape): { cos: Float32Array; sin: Float32Array } {
  const half = shape.headDim / 2;
  const inverse = Float32Array.from({ length: half }, (_, i) => Math.fround(1 / Math.fround(shape.ropeTheta ** Math.fround((2 * i) / shape.headDim))));
  const cos = new Float32Array(shape.maxPositions * half);
  const sin = new Float32Array(shape.maxPositions * half);
  for (let position = 0; position < shape.maxPositions; position++) {
    for (let i = 0; i < half; i++) {
      const angle = Math.fround(position * inverse[i]);
      cos[position * half + i] = Math.cos(angle);
      sin[position * half + i] = Math.sin(angle);
    }
  }
  return { cos, sin };
}

/** Nodes some graph output depends on, given each node's (possibly rewired) inputs and outputs. */
function liveNodes(nodes: OnnxNode[], graphOutputs: string[], outputs: (node: OnnxNode) => string[], inputs: (node: OnnxNode) => string[]): Set<OnnxNode> {
  const producer = new Map<string, OnnxNode>();
  for (const node of nodes) for (const output of outputs(node)) producer.set(output, node);
  const live = new Set<OnnxNode>();
  const pending = graphOutputs.map((name) => producer.get(name)).filter((node): node is OnnxNode => node !== undefined);
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (live.has(node)) continue;
    live.add(node);
    for (const input of inputs(node)) {
      const source = producer.get(input);
      if (source && !live.has(source)) pending.push(source);
    }
  }
  return live;
}
