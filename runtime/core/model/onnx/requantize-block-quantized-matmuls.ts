// Rewrites 4-bit MatMulNBits nodes as 8-bit MatMulInteger on weights requantized once, at load.
//
// Why: onnxruntime-web's WASM build has no MLAS kernel for MatMulNBits and dequantizes every
// matrix on every run (lexicon-tiny q4: ~55 tok/s against ~600 for q8). Expanding the weights to
// fp32 once fixed that, but an fp32 GEMM reads four times the bytes of q8's 8-bit one every step,
// and the expanded weights cost 4 bytes a parameter. Requantized to 8 bits, a q4 model runs the
// kernels a q8 model runs (DynamicQuantizeLinear + MatMulInteger + Cast + Mul, which onnxruntime
// fuses into one DynamicQuantizeMatMul), on a byte a parameter.
//
// Precision: each column gets its own scale (max |w| / 127, symmetric around zero point 128), so a
// weight moves by at most half of 1/127 of its column's largest weight, where 4 bits in blocks
// already moved it by up to half of its block's step (1/8 of the block's largest). The activations
// are quantized per tensor, as q8's are. The LM head may get one scale for the whole matrix, which
// our 8-bit head kernel needs (detachQuantizedLmHead), when that step is small beside 4 bits'.
import { MessageWriter } from './protobuf-wire.js';
import { blockQuantizedMatMul, blockScales, dequantizeBlockQuantized, type BlockQuantizedMatMul } from './block-quantized-weights.js';
import { graphInitializers, indexGraph, initializerMessage, initializerName, nodeMessage, onnxField as field, onnxTensorType as tensorType, readGraph, withGraph, type ExternalDataFile } from './onnx-graph.js';

export interface RequantizationResult {
  bytes: Uint8Array;
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
  /** Where the 4-bit weights are when they are external data. */
  external?: ExternalDataFile;
}

/**
 * The LM head gets one scale when its 8-bit step (max |w| / 127) is at most this fraction of its
 * median 4-bit block step: the rounding it adds is then under half of what 4 bits already cost.
 */
export const maxSingleScaleStepRatio = 0.5;

const prefix = 'nexus_requantized/';
const weightZeroPoint = 128;
const weightZeroPointName = `${prefix}weight_zero_point`;

/**
 * Returns the model with every supported 4-bit MatMulNBits turned into 8-bit integer matrix
 * multiplication; the input is returned unchanged when nothing is rewritten. Only the graph
 * message is re-encoded; every other field is copied byte for byte. The 8-bit weights are
 * written inline.
 */
export function requantizeBlockQuantizedMatMuls(model: Uint8Array, options: RequantizationOptions): RequantizationResult {
  const unchanged = (keptNodes: number): RequantizationResult => ({ bytes: model, requantizedNodes: 0, singleScaleNodes: 0, keptNodes, weightBytes: 0 });
  const parsed = readGraph(model);
  if (!parsed) return unchanged(0);
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
  // One quantizer per activation tensor: q, k and v read the same one, and so do gate and up.
  const quantizers = new Map<string, string>();
  const requantized = new Map<string, { weight: string; scale: string }>();
  const scratch = new Float32Array(Math.max(...candidates.map((node) => node.k * node.n)));
  let singleScaleNodes = 0;
  writer.message(field.graph.initializer, initializerMessage(weightZeroPointName, tensorType.uint8, [], Uint8Array.of(weightZeroPoint)));
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
      const fp32 = scratch.subarray(0, node.k * node.n);
      dequantizeBlockQuantized(node, initializers, fp32);
      const singleScale = node.n === options.lmHeadWidth && singleScaleFits(fp32, blockScales(node, initializers));
      if (singleScale) singleScaleNodes++;
      const { levels, scales } = requantize(fp32, node.k, node.n, singleScale);
      writer.message(field.graph.initializer, initializerMessage(weight.weight, tensorType.uint8, [node.k, node.n], levels));
      writer.message(field.graph.initializer, initializerMessage(weight.scale, tensorType.float, singleScale ? [] : [node.n], new Uint8Array(scales.buffer)));
    }
    const out = `${prefix}${node.name}`;
    writer.message(field.graph.node, nodeMessage({ name: out, opType: 'MatMulInteger', inputs: [quantizer, weight.weight, `${quantizer}_zero_point`, weightZeroPointName], outputs: [`${out}_sums`] }));
    writer.message(field.graph.node, nodeMessage({ name: `${out}_scales`, opType: 'Mul', inputs: [`${quantizer}_scale`, weight.scale], outputs: [`${out}_scales`] }));
    writer.message(field.graph.node, nodeMessage({ name: `${out}_cast`, opType: 'Cast', inputs: [`${out}_sums`], outputs: [`${out}_sums_float`], attributes: { to: tensorType.float } }));
    writer.message(field.graph.node, nodeMessage({ name: `${out}_scaled`, opType: 'Mul', inputs: [`${out}_sums_float`, `${out}_scales`], outputs: node.outputs }));
  }
  return { bytes: withGraph(model, parsed.graphField, writer), requantizedNodes: candidates.length, singleScaleNodes, keptNodes, weightBytes };
}

function singleScaleFits(weight: Float32Array, blockScales: Float32Array): boolean {
  let largest = 0;
  for (const value of weight) largest = Math.max(largest, Math.abs(value));
  const steps = Array.from(blockScales, Math.abs).sort((a, b) => a - b);
  return largest / 127 <= maxSingleScaleStepRatio * steps[steps.length >> 1];
}

/** 8-bit levels of W[k][n], symmetric around the zero point, with one scale per column or one in all. */
function requantize(weight: Float32Array, k: number, n: number, singleScale: boolean): { levels: Uint8Array; scales: Float32Array } {
  const scales = new Float32Array(singleScale ? 1 : n);
  const scaleOf = singleScale ? () => 0 : (column: number) => column;
  for (let row = 0; row < k; row++) {
    for (let column = 0; column < n; column++) scales[scaleOf(column)] = Math.max(scales[scaleOf(column)], Math.abs(weight[row * n + column]));
  }
  for (let i = 0; i < scales.length; i++) scales[i] = scales[i] > 0 ? scales[i] / 127 : 1;
  const levels = new Uint8Array(k * n);
  for (let row = 0; row < k; row++) {
    for (let column = 0; column < n; column++) levels[row * n + column] = Math.round(weight[row * n + column] / scales[scaleOf(column)]) + weightZeroPoint;
  }
  return { levels, scales };
}
