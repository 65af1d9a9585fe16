// Rewrites 4-bit MatMulNBits nodes as MatMul on fp32 weights dequantized once, at load.
//
// Why: onnxruntime-web's WASM build has no MLAS kernel for MatMulNBits, so every run dequantizes
// every weight matrix again before an fp32 GEMM (ORT's "unpacked compute mode"): q4 decodes ~6×
// slower than q8 there. Dequantizing once gives the same fp32 GEMM on the same fp32 weights
// ((q − zero point) × scale, as ORT computes them), at fp32's memory cost for those weights.
import { MessageWriter, type WireField } from './protobuf-wire.js';
import { graphInitializers, initializerName, nodeMessage, onnxField as field, onnxTensorType as tensorType, readGraph, withGraph, type ExternalDataFile, type OnnxInitializer as Initializer, type OnnxNode } from './onnx-graph.js';

export interface ExpansionResult {
  bytes: Uint8Array;
  /** MatMulNBits nodes rewritten. */
  expandedNodes: number;
  /** MatMulNBits nodes left as they were (another bit width, fp16 scales, g_idx, bias, ...). */
  keptNodes: number;
  /** fp32 weight bytes the rewrite adds to the model. */
  weightBytes: number;
}

interface QuantizedMatMul {
  field: WireField;
  name: string;
  inputs: string[];
  outputs: string[];
  k: number;
  n: number;
  blockSize: number;
  weightName: string;
}

/**
 * Returns the model with every supported 4-bit MatMulNBits turned into a MatMul, unless the fp32
 * weights would add more than `maxWeightBytes`; the input is returned unchanged when nothing is
 * rewritten. Only the graph message is re-encoded; every other field is copied byte for byte.
 * The 4-bit weights may be external data in `options.external`; the fp32 ones are written inline.
 */
export function expandBlockQuantizedMatMuls(model: Uint8Array, options: { maxWeightBytes: number; external?: ExternalDataFile }): ExpansionResult {
  const unchanged = (keptNodes: number): ExpansionResult => ({ bytes: model, expandedNodes: 0, keptNodes, weightBytes: 0 });
  const parsed = readGraph(model);
  if (!parsed) return unchanged(0);

  const initializers = graphInitializers(model, parsed, options.external);
  const graphInputs = new Set(parsed.inputNames);

  const candidates: QuantizedMatMul[] = [];
  let keptNodes = 0;
  const otherUses = new Set<string>(parsed.outputNames);
  for (const node of parsed.nodes) {
    if (node.opType !== 'MatMulNBits') {
      node.inputs.forEach((input) => otherUses.add(input));
      continue;
    }
    const candidate = expandable(node, initializers);
    if (candidate) candidates.push(candidate);
    else {
      keptNodes++;
      node.inputs.forEach((input) => otherUses.add(input));
    }
  }
  // Nodes that share one quantized weight share its dequantized copy too.
  const weights = new Map(candidates.map((node) => [node.weightName, node]));
  const weightBytes = [...weights.values()].reduce((sum, node) => sum + node.k * node.n * 4, 0);
  if (candidates.length === 0 || weightBytes > options.maxWeightBytes) return unchanged(keptNodes + candidates.length);

  const replacedNodes = new Map(candidates.map((node) => [node.field.fieldStart, node]));
  const dropped = new Set(candidates.flatMap((node) => node.inputs.slice(1, 3)).filter((name) => !otherUses.has(name) && !graphInputs.has(name)));
  const graph = new MessageWriter();
  for (const entry of parsed.fields) {
    const replaced = replacedNodes.get(entry.fieldStart);
    if (replaced) {
      graph.message(field.graph.node, nodeMessage({ name: replaced.name, opType: 'MatMul', inputs: [replaced.inputs[0], replaced.weightName], outputs: replaced.outputs }));
      continue;
    }
    if (entry.number === field.graph.initializer && dropped.has(initializerName(model, entry))) continue;
    graph.raw(model.subarray(entry.fieldStart, entry.end));
  }
  const scratch = new Float32Array(Math.max(...[...weights.values()].map((node) => node.k * node.n)));
  for (const node of weights.values()) graph.message(field.graph.initializer, dequantizedWeight(node, initializers, scratch));
  return { bytes: withGraph(model, parsed.graphField, graph), expandedNodes: candidates.length, keptNodes, weightBytes };
}

/** The node as a QuantizedMatMul when its weights can be dequantized here: 4 bits, fp32 scales, constant inputs. */
function expandable(node: OnnxNode, initializers: Map<string, Initializer>): QuantizedMatMul | undefined {
  const { attributes, inputs } = node;
  const bits = attributes.get('bits') ?? 4;
  const k = attributes.get('K');
  const n = attributes.get('N');
  const blockSize = attributes.get('block_size');
  if (node.domain !== 'com.microsoft' || bits !== 4 || !k || !n || !blockSize || blockSize % 2 !== 0) return undefined;
  // Inputs: A, B, scales, [zero_points], [g_idx], [bias]: only the first four are handled.
  if (inputs.length > 4 && inputs.slice(4).some((name) => name !== '')) return undefined;
  const weights = initializers.get(inputs[1]);
  const scales = initializers.get(inputs[2]);
  const zeroPoints = inputs[3] ? initializers.get(inputs[3]) : undefined;
  const blocks = Math.ceil(k / blockSize);
  if (weights?.dataType !== tensorType.uint8 || weights.data?.length !== n * blocks * (blockSize / 2)) return undefined;
  if (scales?.dataType !== tensorType.float || scales.data?.length !== n * blocks * 4) return undefined;
  if (inputs[3] && (zeroPoints?.dataType !== tensorType.uint8 || zeroPoints.data?.length !== n * Math.ceil(blocks / 2))) return undefined;
  return { field: node.field, name: node.name, inputs, outputs: node.outputs, k, n, blockSize, weightName: `${inputs[1]}_dequantized` };
}

/** The [K][N] fp32 MatMul weight as an initializer whose data is dequantized when the model is written. */
function dequantizedWeight(node: QuantizedMatMul, initializers: Map<string, Initializer>, scratch: Float32Array): MessageWriter {
  const { k, n } = node;
  const write = (target: Uint8Array) => {
    // Dequantized into one reused scratch matrix, then copied: the target need not be 4-byte aligned.
    const weight = scratch.subarray(0, k * n);
    dequantize(node, initializers, weight);
    target.set(new Uint8Array(weight.buffer, weight.byteOffset, weight.byteLength));
  };
  return new MessageWriter()
    .varint(field.tensor.dims, k)
    .varint(field.tensor.dims, n)
    .varint(field.tensor.dataType, tensorType.float)
    .text(field.tensor.name, node.weightName)
    .deferred(field.tensor.rawData, k * n * 4, write);
}

/**
 * W[k][n] = (q − zero point) × scale for MatMulNBits' layout: B is [N][blocks][blockSize/2] with
 * the even element in the low nibble, scales [N][blocks], zero points [N][blocks/2] packed as
 * nibbles (8 when absent).
 */
function dequantize(node: QuantizedMatMul, initializers: Map<string, Initializer>, weight: Float32Array): void {
  const { k, n, blockSize } = node;
  const quantized = initializers.get(node.inputs[1])!.data!;
  const scalesData = initializers.get(node.inputs[2])!.data!;
  const scales = new Float32Array(scalesData.buffer.slice(scalesData.byteOffset, scalesData.byteOffset + scalesData.length));
  const zeroPoints = node.inputs[3] ? initializers.get(node.inputs[3])!.data : undefined;
  const blocks = Math.ceil(k / blockSize);
  const zeroPointBytesPerColumn = Math.ceil(blocks / 2);
  const bytesPerBlock = blockSize / 2;
  for (let column = 0; column < n; column++) {
    for (let block = 0; block < blocks; block++) {
      const scale = scales[column * blocks + block];
      const zeroPointByte = zeroPoints ? zeroPoints[column * zeroPointBytesPerColumn + (block >> 1)] : 0x88;
      const zeroPoint = block & 1 ? zeroPointByte >> 4 : zeroPointByte & 0x0f;
      const blockStart = (column * blocks + block) * bytesPerBlock;
      for (let j = 0; j < blockSize; j++) {
        const row = block * blockSize + j;
        if (row >= k) break;
        const byte = quantized[blockStart + (j >> 1)];
        const level = j & 1 ? byte >> 4 : byte & 0x0f;
        weight[row * n + column] = (level - zeroPoint) * scale;
      }
    }
  }
}
