// BlockQuantizedMatMul: a 4-bit MatMulNBits node whose weights can be read here, and those weights as fp32.
import type { WireField } from './protobuf-wire.js';
import { onnxTensorType as tensorType, type OnnxInitializer as Initializer, type OnnxNode } from './onnx-graph.js';

export interface BlockQuantizedMatMul {
  field: WireField;
  name: string;
  inputs: string[];
  outputs: string[];
  k: number;
  n: number;
  blockSize: number;
}

/** The node as a BlockQuantizedMatMul when its weights can be dequantized here: 4 bits, fp32 scales, constant inputs. */
export function blockQuantizedMatMul(node: OnnxNode, initializers: Map<string, Initializer>): BlockQuantizedMatMul | undefined {
  const { attributes, inputs } = node;
  const bits = attributes.get('bits') ?? 4;
  const k = attributes.get('K');
  const n = attributes.get('N');
  const blockSize = attributes.get('block_size');
  if (node.opType !== 'MatMulNBits' || node.domain !== 'com.microsoft' || bits !== 4 || !k || !n || !blockSize || blockSize % 2 !== 0) return undefined;
  // Inputs: A, B, scales, [zero_points], [g_idx], [bias]: only the first four are handled.
  if (inputs.length > 4 && inputs.slice(4).some((name) => name !== '')) return undefined;
  const weights = initializers.get(inputs[1]);
  const scales = initializers.get(inputs[2]);
  const zeroPoints = inputs[3] ? initializers.get(inputs[3]) : undefined;
  const blocks = Math.ceil(k / blockSize);
  if (weights?.dataType !== tensorType.uint8 || weights.data?.length !== n * blocks * (blockSize / 2)) return undefined;
  if (scales?.dataType !== tensorType.float || scales.data?.length !== n * blocks * 4) return undefined;
  if (inputs[3] && (zeroPoints?.dataType !== tensorType.uint8 || zeroPoints.data?.length !== n * Math.ceil(blocks / 2))) return undefined;
  return { field: node.field, name: node.name, inputs, outputs: node.outputs, k, n, blockSize };
}

/** The node's block scales (one per column per block of K), copied. */
export function blockScales(node: BlockQuantizedMatMul, initializers: Map<string, Initializer>): Float32Array {
  const data = initializers.get(node.inputs[2])!.data!;
  return new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
}

/**
 * W[k][n] = (q − zero point) × scale, as onnxruntime computes it, for MatMulNBits' layout: B is
 * [N][blocks][blockSize/2] with the even element in the low nibble, scales [N][blocks], zero
 * points [N][blocks/2] packed as nibbles (8 when absent).
 */
export function dequantizeBlockQuantized(node: BlockQuantizedMatMul, initializers: Map<string, Initializer>, weight: Float32Array): void {
  const { k, n, blockSize } = node;
  const quantized = initializers.get(node.inputs[1])!.data!;
  const scales = blockScales(node, initializers);
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
