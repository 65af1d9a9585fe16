// BlockQuantizedMatMul: a 4-bit MatMulNBits node whose weights can be read here; BlockQuantizedWeights: those weights requantized to 8 bits.
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
function blockScales(node: BlockQuantizedMatMul, initializers: Map<string, Initializer>): Float32Array {
  const data = initializers.get(node.inputs[2])!.data!;
  return new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
}

/** The node's zero point of each column's each block (8 when the node has none), unpacked from nibbles. */
function blockZeroPoints(node: BlockQuantizedMatMul, initializers: Map<string, Initializer>): Uint8Array {
  const blocks = Math.ceil(node.k / node.blockSize);
  const zeroPoints = new Uint8Array(node.n * blocks).fill(8);
  const packed = node.inputs[3] ? initializers.get(node.inputs[3])!.data! : undefined;
  if (!packed) return zeroPoints;
  const bytesPerColumn = Math.ceil(blocks / 2);
  for (let column = 0; column < node.n; column++) {
    for (let block = 0; block < blocks; block++) {
      const byte = packed[column * bytesPerColumn + (block >> 1)];
      zeroPoints[column * blocks + block] = block & 1 ? byte >> 4 : byte & 0x0f;
    }
  }
  return zeroPoints;
}

/** The zero point of requantized 8-bit weights: they are symmetric around it, from 1 to 255. */
export const requantizedZeroPoint = 128;

/** The smaller and the larger nibble of each byte. */
const nibbleRange = Array.from({ length: 256 }, (_, byte) => [Math.min(byte & 0x0f, byte >> 4), Math.max(byte & 0x0f, byte >> 4)]);
const lowestNibble = Uint8Array.from(nibbleRange, ([low]) => low);
const highestNibble = Uint8Array.from(nibbleRange, ([, high]) => high);

/**
 * The highest 4-bit level of rows [from, to) of the column whose levels start at `columnStart`, and
 * the lowest shifted left by 4 (one number, so that no pair is allocated for each block).
 */
function levelRange(quantized: Uint8Array, columnStart: number, from: number, to: number): number {
  let lowest = 15;
  let highest = 0;
  // Whole bytes (two rows each); `from` is even (a block's first row), an odd `to` leaves one low nibble.
  const end = columnStart + (to >> 1);
  for (let at = columnStart + (from >> 1); at < end; at++) {
    const byte = quantized[at];
    lowest = Math.min(lowest, lowestNibble[byte]);
    highest = Math.max(highest, highestNibble[byte]);
  }
  if (to & 1) {
    const level = quantized[end] & 0x0f;
    lowest = Math.min(lowest, level);
    highest = Math.max(highest, level);
  }
  return (lowest << 4) | highest;
}

/** One MatMulNBits node's 4-bit weights, read to be requantized to 8 bits. */
export class BlockQuantizedWeights {
  private readonly blocks: number;
  private readonly bytesPerColumn: number;
  private readonly quantized: Uint8Array;
  private readonly blockScales: Float32Array;
  private readonly zeroPoints: Uint8Array;
  /** The largest |w| of each column. */
  private readonly columnMaxima: Float64Array;

  constructor(
    private readonly node: BlockQuantizedMatMul,
    initializers: Map<string, Initializer>,
  ) {
    this.blocks = Math.ceil(node.k / node.blockSize);
    this.bytesPerColumn = (this.blocks * node.blockSize) / 2;
    this.quantized = initializers.get(node.inputs[1])!.data!;
    this.blockScales = blockScales(node, initializers);
    this.zeroPoints = blockZeroPoints(node, initializers);
    this.columnMaxima = new Float64Array(node.n);
    const { k, n, blockSize } = node;
    const { blocks, bytesPerColumn, quantized, zeroPoints, columnMaxima } = this;
    const scales = this.blockScales;
    for (let column = 0; column < n; column++) {
      for (let block = 0; block < blocks; block++) {
        const at = column * blocks + block;
        const first = block * blockSize;
        const range = levelRange(quantized, column * bytesPerColumn, first, Math.min(k, first + blockSize));
        const largest = Math.max((range & 0x0f) - zeroPoints[at], zeroPoints[at] - (range >> 4));
        columnMaxima[column] = Math.max(columnMaxima[column], largest * Math.abs(scales[at]));
      }
    }
  }

  /** max |w| over the matrix (a loop: a vocabulary-wide spread into Math.max can pass V8's argument limit). */
  private largestWeight(): number {
    return this.columnMaxima.reduce((largest, value) => Math.max(largest, value), 0);
  }

  /** The 8-bit step of one scale for the whole matrix (max |w| / 127) over the median 4-bit block step. */
  singleScaleStepRatio(): number {
    const steps = this.blockScales.map(Math.abs).sort();
    return this.largestWeight() / 127 / steps[steps.length >> 1];
  }

  /**
   * Writes the 8-bit levels of W[k][n] (row-major, as MatMulInteger reads B) into `levels`,
   * symmetric around the zero point, and returns the scales: one per column, or one in all.
   * Columns go in tiles so that the writes run along rows.
   */
  requantize(singleScale: boolean, levels: Uint8Array): Float32Array {
    const { k, n, blockSize } = this.node;
    const { blocks, bytesPerColumn, quantized } = this;
    const scales = singleScale ? Float32Array.of(this.largestWeight()) : Float32Array.from(this.columnMaxima);
    for (let i = 0; i < scales.length; i++) scales[i] = scales[i] > 0 ? scales[i] / 127 : 1;
    const tile = Math.min(n, 64);
    // [block][column in the tile]: what a 4-bit level minus the zero point is multiplied by, and the zero point.
    const tileRatios = new Float64Array(blocks * tile);
    const tileZeroPoints = new Uint8Array(blocks * tile);
    for (let first = 0; first < n; first += tile) {
      const columns = Math.min(tile, n - first);
      for (let t = 0; t < columns; t++) {
        for (let block = 0; block < blocks; block++) {
          const at = (first + t) * blocks + block;
          tileRatios[block * tile + t] = this.blockScales[at] / scales[singleScale ? 0 : first + t];
          tileZeroPoints[block * tile + t] = this.zeroPoints[at];
        }
      }
      // Two rows a byte: the even row from the low nibble, the odd one from the high nibble. x + 128.5
      // truncated is Math.round(x) + 128 for x > −128.5: the same rounding, half up.
      for (let row = 0; row < k; row += 2) {
        const blockRow = Math.floor(row / blockSize) * tile;
        const even = row * n + first;
        const odd = even + n;
        const hasOdd = row + 1 < k;
        let source = first * bytesPerColumn + (row >> 1);
        for (let t = 0; t < columns; t++) {
          const byte = quantized[source];
          const ratio = tileRatios[blockRow + t];
          const zeroPoint = tileZeroPoints[blockRow + t];
          levels[even + t] = ((byte & 0x0f) - zeroPoint) * ratio + requantizedZeroPoint + 0.5;
          if (hasOdd) levels[odd + t] = ((byte >> 4) - zeroPoint) * ratio + requantizedZeroPoint + 0.5;
          source += bytesPerColumn;
        }
      }
    }
    return scales;
  }
}
