// WeightsForEngine: the model bytes an engine runs fastest, chosen once at load.
import type { OrtEngine } from '../platform/ort-engine.js';
import { expandBlockQuantizedMatMuls } from './onnx/expand-block-quantized-matmuls.js';

/**
 * The most fp32 weight bytes 4-bit weights are expanded to: 28 MB for lexicon-tiny; a model whose
 * expansion would cost more keeps its 4-bit weights (slow on WASM, but it fits).
 */
export const maxExpandedWeightBytes = 256 * 2 ** 20;

export interface ExpandedWeights {
  /** MatMulNBits nodes now running as fp32 MatMul. */
  nodes: number;
  /** fp32 weight bytes that replaced their 4-bit weights. */
  bytes: number;
}

/**
 * onnxruntime-web's WASM build has no MatMulNBits kernel: it dequantizes every 4-bit matrix again
 * on every run. On that engine 4-bit weights are dequantized once here instead; native (MLAS) and
 * WebGPU have real kernels and get the file as it is.
 */
export function weightsForEngine(engine: OrtEngine, modelBytes: Uint8Array): { bytes: Uint8Array; expanded?: ExpandedWeights } {
  if (engine.name !== 'wasm') return { bytes: modelBytes };
  let result: ReturnType<typeof expandBlockQuantizedMatMuls>;
  try {
    result = expandBlockQuantizedMatMuls(modelBytes, { maxWeightBytes: maxExpandedWeightBytes });
  } catch {
    // Not a protobuf this reader understands: onnxruntime gets the file as it is and names the problem.
    return { bytes: modelBytes };
  }
  if (result.expandedNodes === 0) return { bytes: modelBytes };
  return { bytes: result.bytes, expanded: { nodes: result.expandedNodes, bytes: result.weightBytes } };
}
