// Test support: a one-node ONNX model, Y = MatMulNBits(A, B, scales[, zero_points]), built byte by byte.
import { MessageWriter } from '../../runtime/core/model/onnx/protobuf-wire.js';

export interface MatMulNBitsModelSpec {
  k: number;
  n: number;
  blockSize: number;
  /** Quantized levels 0..15, [N][K]. */
  levels: number[][];
  /** [N][blocks]. */
  scales: number[][];
  /** Zero points 0..15, [N][blocks]; absent means the default 8 (no zero_points input). */
  zeroPoints?: number[][];
}

function valueInfo(name: string, elementType: number, dims: (number | string)[]): Uint8Array {
  const shape = new MessageWriter();
  for (const dim of dims) shape.bytes(1, typeof dim === 'number' ? new MessageWriter().varint(1, dim).finish() : new MessageWriter().text(2, dim).finish());
  const tensorType = new MessageWriter().varint(1, elementType).bytes(2, shape.finish()).finish();
  return new MessageWriter().text(1, name).bytes(2, new MessageWriter().bytes(1, tensorType).finish()).finish();
}

function tensor(name: string, dataType: number, dims: number[], raw: Uint8Array): Uint8Array {
  const writer = new MessageWriter();
  for (const dim of dims) writer.varint(1, dim);
  return writer.varint(2, dataType).text(8, name).bytes(9, raw).finish();
}

function intAttribute(name: string, value: number): Uint8Array {
  return new MessageWriter().text(1, name).varint(3, value).varint(20, 2).finish();
}

/** Two nibbles a byte, the first in the low half, each row padded to whole bytes. */
function packNibbleRows(rows: number[][]): Uint8Array {
  const bytesPerRow = Math.ceil(rows[0].length / 2);
  const out = new Uint8Array(rows.length * bytesPerRow);
  rows.forEach((row, r) => row.forEach((value, i) => (out[r * bytesPerRow + (i >> 1)] |= i & 1 ? value << 4 : value)));
  return out;
}

/** The model as ONNX bytes: input A [batch, K] float, output Y [batch, N]. */
export function matMulNBitsModel(spec: MatMulNBitsModelSpec): Uint8Array {
  const { k, n, blockSize } = spec;
  const blocks = Math.ceil(k / blockSize);
  // B is [N][blocks][blockSize/2]: pad each column's levels to whole blocks.
  const paddedLevels = spec.levels.map((row) => [...row, ...Array(blocks * blockSize - k).fill(0)]);
  const node = new MessageWriter().text(1, 'A').text(1, 'B').text(1, 'scales');
  if (spec.zeroPoints) node.text(1, 'zero_points');
  node.text(2, 'Y').text(3, 'matmul').text(4, 'MatMulNBits').text(7, 'com.microsoft');
  for (const [name, value] of [['K', k], ['N', n], ['bits', 4], ['block_size', blockSize]] as const) node.bytes(5, intAttribute(name, value));

  const graph = new MessageWriter().bytes(1, node.finish()).text(2, 'matmul-nbits');
  graph.bytes(5, tensor('B', 2, [n, blocks, blockSize / 2], packNibbleRows(paddedLevels)));
  graph.bytes(5, tensor('scales', 1, [n * blocks], new Uint8Array(Float32Array.from(spec.scales.flat()).buffer)));
  if (spec.zeroPoints) graph.bytes(5, tensor('zero_points', 2, [n * Math.ceil(blocks / 2)], packNibbleRows(spec.zeroPoints)));
  graph.bytes(11, valueInfo('A', 1, ['batch', k])).bytes(12, valueInfo('Y', 1, ['batch', n]));

  const opset = (domain: string, version: number) => new MessageWriter().text(1, domain).varint(2, version).finish();
  return new MessageWriter().varint(1, 8).text(2, 'nexus-test').bytes(7, graph.finish()).bytes(8, opset('', 17)).bytes(8, opset('com.microsoft', 1)).finish();
}
