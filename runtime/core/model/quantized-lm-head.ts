// QuantizedLmHead: an 8-bit LM head's logits from our WASM SIMD kernel (wasm/quantized-lm-head) instead of onnxruntime-web's.
import { quantizedLmHeadWasmBase64 } from '../../../wasm/quantized-lm-head/quantized-lm-head-wasm.js';
import { growWasmMemory, instantiateWasmKernel } from '../internal/wasm-kernel-instance.js';

/** The weights of an LM head that is a MatMulInteger on per-tensor 8-bit weights (see detachQuantizedLmHead). */
export interface QuantizedLmHeadWeights {
  /** [depth][vocabulary] bytes, row-major, as the model stores the MatMulInteger's B. */
  weights: Uint8Array;
  /** True for int8 weights (two's complement bytes, and a signed zero point), false for uint8. */
  signed: boolean;
  /** Hidden size: the length of the activation row. */
  depth: number;
  vocabulary: number;
  zeroPoint: number;
  /** The weights' float32 scale. */
  scale: number;
}

interface KernelExports {
  memory: WebAssembly.Memory;
  logits(activations: number, aZero: number, centered: number, depth: number, weights: number, rows: number, wZero: number, scale: number, out: number): void;
}

/** The kernel takes 16 activations and 4 logits a turn. */
const alignTo = (value: number, multiple: number) => Math.ceil(value / multiple) * multiple;

/**
 * Its int32 sums are exact below this depth (|a − zero point|, weights ≤ 255): onnxruntime's
 * MatMulInteger accumulates in int32 too, and deeper heads are left to it.
 */
export const maxQuantizedLmHeadDepth = 16_384;

export class QuantizedLmHead {
  /** The depth and row count the kernel runs on (16 and 4 at a time). */
  private readonly paddedDepth: number;
  private readonly activationsAt = 0;
  private readonly centeredAt: number;
  private readonly outAt: number;
  private readonly weightsAt: number;
  private readonly paddedRows: number;
  /** Views onto the kernel's memory, made once: it does not grow after the constructor. */
  private readonly activationBytes: Uint8Array;
  private readonly out: Float32Array;

  /**
   * Everything but the weights, which live in the kernel's memory only (the model's bytes can go).
   * int8 weights are stored as uint8 with 128 added to them and to their zero point: the
   * differences the kernel multiplies are the same.
   */
  private readonly head: Omit<QuantizedLmHeadWeights, 'weights' | 'signed'>;

  private constructor(
    private readonly kernel: KernelExports,
    { weights, signed, ...head }: QuantizedLmHeadWeights,
  ) {
    this.head = { ...head, zeroPoint: signed ? head.zeroPoint + 128 : head.zeroPoint };
    this.paddedDepth = alignTo(head.depth, 16);
    this.paddedRows = alignTo(head.vocabulary, 4);
    this.centeredAt = this.paddedDepth;
    this.outAt = this.centeredAt + 2 * this.paddedDepth;
    this.weightsAt = alignTo(this.outAt + 4 * this.paddedRows, 16);
    growWasmMemory(kernel.memory, this.weightsAt + this.paddedRows * this.paddedDepth);
    this.activationBytes = new Uint8Array(kernel.memory.buffer, this.activationsAt, this.paddedDepth);
    this.out = new Float32Array(kernel.memory.buffer, this.outAt, head.vocabulary);
    this.storeTransposed(weights, signed ? 0x80 : 0);
  }

  /** The head with its weights copied into the kernel's memory; undefined where WebAssembly SIMD or the memory is missing. */
  static create(head: QuantizedLmHeadWeights): QuantizedLmHead | undefined {
    if (head.depth > maxQuantizedLmHeadDepth || head.weights.length !== head.depth * head.vocabulary) return undefined;
    const kernel = instantiateWasmKernel<KernelExports>(quantizedLmHeadWasmBase64);
    try {
      return kernel && new QuantizedLmHead(kernel, head);
    } catch {
      return undefined; // its memory could not grow that far: the head stays in the graph
    }
  }

  get depth(): number {
    return this.head.depth;
  }

  get vocabulary(): number {
    return this.head.vocabulary;
  }

  /**
   * Logits for one row of uint8 activations quantized with (`scale`, `zeroPoint`): the same float32
   * values as MatMulInteger → Cast → Mul by the product of the two scales. A new array each call.
   */
  logits(activations: Uint8Array, scale: number, zeroPoint: number): Float32Array {
    const { depth } = this.head;
    this.activationBytes.set(activations.subarray(activations.length - depth));
    this.activationBytes.fill(zeroPoint, depth);
    const combinedScale = Math.fround(Math.fround(scale) * Math.fround(this.head.scale));
    this.kernel.logits(this.activationsAt, zeroPoint, this.centeredAt, this.paddedDepth, this.weightsAt, this.paddedRows, this.head.zeroPoint, combinedScale, this.outAt);
    return this.out.slice();
  }

  /** W[k][j] (XOR `flip`: int8 → uint8 + 128) → row j of the kernel's weights (padding stays 0), in cache-sized tiles. */
  private storeTransposed(weights: Uint8Array, flip: number): void {
    const { depth, vocabulary } = this.head;
    const target = new Uint8Array(this.kernel.memory.buffer, this.weightsAt, this.paddedRows * this.paddedDepth);
    const tile = 64;
    for (let k0 = 0; k0 < depth; k0 += tile) {
      for (let j0 = 0; j0 < vocabulary; j0 += tile) {
        const kEnd = Math.min(k0 + tile, depth);
        const jEnd = Math.min(j0 + tile, vocabulary);
        for (let k = k0; k < kEnd; k++) {
          const source = k * vocabulary;
          for (let j = j0, at = j0 * this.paddedDepth + k; j < jEnd; j++, at += this.paddedDepth) target[at] = weights[source + j] ^ flip;
        }
      }
    }
  }
}
