// Rewrites 4-bit MatMulNBits nodes as 8-bit MatMulInteger on weights requantized once, at load.
//
// Why: onnxruntime-web's WASM build has no MLAS kernel for MatMulNBits and dequantizes every
// matrix on every run (lexicon-tiny q4: ~55 tok/s against ~600 for q8). Expanding the weights to
// fp32 once fixed that, but an fp32 GEMM reads four times the bytes of q8's 8-bit one every step,
// and the expanded weights cost 4 bytes a parameter. Requantized to 8 bits, a q4 model runs the
// graph pattern a q8 export has (DynamicQuantizeLinear, MatMulInteger, Cast, Mul), so the same
// kernels, on a byte a parameter.
//
// Precision: each column gets its own scale (max |w| / 127, symmetric around zero point 128), so a
// weight moves by at most half of 1/127 of its column's largest weight, where 4 bits in blocks
// already moved it by up to half of its block's step (1/8 of the block's largest). The activations
// are quantized per tensor, as q8's are. The LM head may get one scale for the whole matrix, which
// our 8-bit head kernel needs (detachQuantizedLmHead), when that step is small beside 4 bits'.
//
// Memory: the 8-bit weights are written straight into one buffer that the graph reads as external
// data, so the rewrite (and every rewrite after it) copies only the graph, and no fp32 copy of a
// matrix is ever made.
import { MessageWriter } from './protobuf-wire.js';
import { blockQuantizedMatMul, BlockQuantizedWeights, requantizedZeroPoint, type BlockQuantizedMatMul } from './block-quantized-weights.js';
import { graphInitializers, indexGraph, initializerMessage, initializerName, nodeMessage, onnxField as field, onnxTensorType as tensorType, readGraph, withExternalData, withGraph, type ExternalData, type ExternalDataFile } from './onnx-graph.js';

export interface RequantizationResult {
  /** The graph; its 8-bit weights are in `externalData`. */
  bytes: Uint8Array;
  /** The 8-bit weights, as a session's external data file (absent when nothing was rewritten). */
  externalData?: ExternalDataFile;
  /** MatMulNBits nodes rewritten. */
  requantizedNodes: number;
  /** Of those, the ones whose weights have one scale for the whole matrix (see singleScaleFor). */
  singleScaleNodes: number;
  /** MatMulNBits nodes left as they were (another bit width, fp16 scales, g_idx, bias, ...). */
  keptNodes: number;
  /** 8-bit weight bytes the rewrite adds to the model. */
  weightBytes: number;
}

export interface RequantizationOptions {
  /** Nothing is rewritten when the 8-bit weights would take more bytes than this. */
  maxWeightBytes: number;
  /** Matrices with this many columns (the vocabulary) are the LM head. */
  lmHeadWidth?: number;
  /** The external data file the 8-bit weights are written to. */
  path: string;
  /** Where the 4-bit weights are when they are external data. */
  external?: ExternalData;
}

/**
 * The LM head gets one scale when its 8-bit step (max |w| / 127) is at most this fraction of its
 * median 4-bit block step: the rounding it adds is then under half of what 4 bits already cost.
 */
export const maxSingleScaleStepRatio = 0.5;

const prefix = 'nexus_requantized/';
const weightZeroPointName = `${prefix}weight_zero_point`;

/**
 * Returns the model with every supported 4-bit MatMulNBits turned into 8-bit integer matrix
 * multiplication; the input is returned unchanged when nothing is rewritten. Only the graph
 * message is re-encoded; every other field is copied byte for byte.
 */
export function requantizeBlockQuantizedMatMuls(model: Uint8Array, options: RequantizationOptions): RequantizationResult {
  const unchanged = (keptNodes: number): RequantizationResult => ({ bytes: model, requantizedNodes: 0, singleScaleNodes: 0, keptNodes, weightBytes: 0 });
  const parsed = readGraph(model);
  // A model without 4-bit nodes (every q8 load) needs neither the initializers nor the index.
  if (!parsed?.nodes.some((node) => node.opType === 'MatMulNBits')) return unchanged(0);
  const initializers = graphInitializers(model, parsed, options.external);
  const { consumers } = indexGraph(parsed);

  const candidates: BlockQuantizedMatMul[] = [];
  let keptNodes = 0;
  for (const node of parsed.nodes) {
    if (node.opType !== 'MatMulNBits') continue;
    const candidate = blockQuantizedMatMul(node, initializers);
    if (candidate) candidates.push(candidate);
    else keptNodes++;
  }
  // Nodes that share one 4-bit weight share its 8-bit copy too.
  const byWeight = new Map(candidates.map((node) => [node.inputs[1], node]));
  const weightBytes = [...byWeight.values()].reduce((sum, node) => sum + node.k * node.n, 0);
  if (candidates.length === 0 || weightBytes > options.maxWeightBytes) return unchanged(keptNodes + candidates.length);

  const replaced = new Map(candidates.map((node) => [node.field.fieldStart, node]));
  const readOnlyByReplaced = (name: string) => consumers.get(name)?.every((reader) => replaced.has(reader.field.fieldStart)) ?? false;
  const graphInputs = new Set(parsed.inputNames);
  const dropped = new Set(candidates.flatMap((node) => node.inputs.slice(1, 4)).filter((name) => name && readOnlyByReplaced(name) && !graphInputs.has(name)));

  const writer = new MessageWriter();
  const weightData = new Uint8Array(weightBytes);
  let written = 0;
  // One quantizer per activation tensor: q, k and v read the same one, and so do gate and up.
  const quantizers = new Map<string, string>();
  const requantized = new Map<string, { weight: string; scale: string }>();
  let singleScaleNodes = 0;
  writer.message(field.graph.initializer, initializerMessage(weightZeroPointName, tensorType.uint8, [], Uint8Array.of(requantizedZeroPoint)));
  for (const entry of parsed.fields) {
    const node = replaced.get(entry.fieldStart);
    if (!node) {
      if (entry.number !== field.graph.initializer || !dropped.has(initializerName(model, entry))) writer.raw(model.subarray(entry.fieldStart, entry.end));
      continue;
    }
    const activation = node.inputs[0];
    let quantizer = quantizers.get(activation);
    if (!quantizer) {
      quantizer = `${prefix}activation_${quantizers.size}`;
      quantizers.set(activation, quantizer);
      writer.message(field.graph.node, nodeMessage({ name: quantizer, opType: 'DynamicQuantizeLinear', inputs: [activation], outputs: [quantizer, `${quantizer}_scale`, `${quantizer}_zero_point`] }));
    }
    let weight = requantized.get(node.inputs[1]);
    if (!weight) {
      weight = { weight: `${prefix}${node.inputs[1]}`, scale: `${prefix}${node.inputs[1]}_scale` };
      requantized.set(node.inputs[1], weight);
      const levels = weightData.subarray(written, written + node.k * node.n);
      const weights = new BlockQuantizedWeights(node, initializers);
      const singleScale = node.n === options.lmHeadWidth && weights.singleScaleStepRatio() <= maxSingleScaleStepRatio;
      if (singleScale) singleScaleNodes++;
      const scales = weights.requantize(singleScale, levels);
      const tensor = new MessageWriter().varint(field.tensor.dims, node.k).varint(field.tensor.dims, node.n).varint(field.tensor.dataType, tensorType.uint8).text(field.tensor.name, weight.weight);
      writer.message(field.graph.initializer, withExternalData(tensor, options.path, written, levels.length));
      writer.message(field.graph.initializer, initializerMessage(weight.scale, tensorType.float, singleScale ? [] : [node.n], new Uint8Array(scales.buffer)));
      written += levels.length;
    }
    const out = `${prefix}${node.name}`;
    writer.message(field.graph.node, nodeMessage({ name: out, opType: 'MatMulInteger', inputs: [quantizer, weight.weight, `${quantizer}_zero_point`, weightZeroPointName], outputs: [`${out}_sums`] }));
    writer.message(field.graph.node, nodeMessage({ name: `${out}_scales`, opType: 'Mul', inputs: [`${quantizer}_scale`, weight.scale], outputs: [`${out}_scales`] }));
    writer.message(field.graph.node, nodeMessage({ name: `${out}_cast`, opType: 'Cast', inputs: [`${out}_sums`], outputs: [`${out}_sums_float`], attributes: { to: tensorType.float } }));
    writer.message(field.graph.node, nodeMessage({ name: `${out}_scaled`, opType: 'Mul', inputs: [`${out}_sums_float`, `${out}_scales`], outputs: node.outputs }));
  }
  return { bytes: withGraph(model, parsed.graphField, writer), externalData: { path: options.path, data: weightData }, requantizedNodes: candidates.length, singleScaleNodes, keptNodes, weightBytes };
}
