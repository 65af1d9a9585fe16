// ModelForEngine: the model graph an engine runs fastest, prepared once at load from the file's bytes.
import type { InferenceSession } from 'onnxruntime-common';
import type { OrtEngine } from '../platform/ort-engine.js';
import type { ModelConfig } from './model-config.js';
import { dequantizeIntegerWeights } from './onnx/dequantize-integer-weights.js';
import { detachQuantizedLmHead, type LmHeadOutputs } from './onnx/detach-quantized-lm-head.js';
import { externalizeInitializers } from './onnx/externalize-initializers.js';
import type { ExternalDataFile } from './onnx/onnx-graph.js';
import { attentionShapeOf, fuseGroupQueryAttention } from './onnx/fuse-group-query-attention.js';
import { requantizeBlockQuantizedMatMuls } from './onnx/requantize-block-quantized-matmuls.js';
import { sliceLogitsToLastPosition } from './onnx/slice-logits-to-last-position.js';
import { QuantizedLmHead } from './quantized-lm-head.js';

/**
 * The most 8-bit weight bytes 4-bit weights are requantized to on WASM: 6.9 MB for lexicon-tiny; a
 * model whose 8-bit weights would take more keeps its 4-bit ones (slow on WASM, but smaller).
 */
export const maxRequantizedWeightBytes = 512 * 2 ** 20;

export interface RequantizedWeights {
  /** MatMulNBits nodes now running as 8-bit MatMulInteger. */
  nodes: number;
  /** 8-bit weight bytes that replaced their 4-bit weights. */
  bytes: number;
}

/** The most float weight bytes 8-bit weights are dequantized to for WebGPU: 32 MB for lexicon-tiny q8. */
export const maxDequantizedWeightBytes = 512 * 2 ** 20;

export interface DequantizedWeights {
  /** 8-bit embedding lookups and integer products now on float weights. */
  nodes: number;
  /** Float weight bytes that replaced their 8-bit weights. */
  bytes: number;
}

export interface FusedAttention {
  /** Layers whose attention runs as one GroupQueryAttention node. */
  layers: number;
  /** Graph nodes before and after (constants included). */
  nodesBefore: number;
  nodesAfter: number;
}

/** An LM head computed by our kernel from graph outputs, instead of by the engine. */
export interface DetachedHead {
  kernel: QuantizedLmHead;
  outputs: LmHeadOutputs;
}

/** The last position's logits from a run of a graph whose head was detached (a new array). */
export function detachedHeadLogits({ kernel, outputs: names }: DetachedHead, outputs: InferenceSession.OnnxValueMapType): Float32Array {
  return kernel.logits(outputs[names.activations].data as Uint8Array, (outputs[names.scale].data as Float32Array)[0], (outputs[names.zeroPoint].data as Uint8Array)[0]);
}

export interface PreparedModel {
  bytes: Uint8Array;
  fusedAttention?: FusedAttention;
  /** True when the LM head was given only the last position (prefill computes one row of logits). */
  lastPositionLogits?: boolean;
  requantizedWeights?: RequantizedWeights;
  dequantizedWeights?: DequantizedWeights;
  detachedHead?: DetachedHead;
  /** The session's `externalData` when large weights were moved out of `bytes` (see externalizeInitializers). */
  externalData?: ExternalDataFile[];
}

/**
 * The options every session on a model is created with: the engine's, the prepared model's external
 * data, and where the engine keeps `cacheOutputs` (the KV cache) when it keeps them off JS.
 */
export function sessionOptionsFor(engine: OrtEngine, externalData?: readonly ExternalDataFile[], cacheOutputs: readonly string[] = []): InferenceSession.SessionOptions {
  const { cacheLocation } = engine;
  const preferredOutputLocation = cacheLocation && cacheOutputs.length > 0 ? Object.fromEntries(cacheOutputs.map((name) => [name, cacheLocation])) : undefined;
  return { executionProviders: engine.executionProviders, graphOptimizationLevel: 'all', ...engine.sessionOptions, ...(externalData && { externalData }), ...(preferredOutputLocation && { preferredOutputLocation }) };
}

/**
 * Six rewrites, each leaving the model as it is when it does not recognise the graph:
 * - attention fused into GroupQueryAttention (every engine; on WebGPU the exported attention's
 *   rotary embedding computes wrong positions, the fused kernel right ones);
 * - the LM head fed only the last position, so prefill does not compute (and copy out) logits for
 *   every prompt token;
 * - on WebGPU, 8-bit weights dequantized to float once: onnxruntime-web's WebGPU DequantizeLinear
 *   and MatMulInteger compute wrong values (dequantizeIntegerWeights);
 * - on WASM, 4-bit weights requantized to 8 bits once: onnxruntime-web has no MatMulNBits kernel
 *   and would dequantize every matrix on every run; it then runs q8's kernels. Native (MLAS) has
 *   real 4-bit kernels;
 * - on WASM, an 8-bit LM head taken out of the graph and computed by our WASM SIMD kernel
 *   (QuantizedLmHead), ~10× onnxruntime-web's for one row, with the same float32 logits.
 * On WASM the large weights are first made external data that points into the file's own bytes
 * (externalizeInitializers), and requantized weights are written to a second external file: the
 * rewrites then copy a graph of ~200 KB instead of the whole model each, and the engine's WASM
 * heap, which never shrinks, gets one copy of the weights instead of three. (onnxruntime-node
 * takes no external data from memory, and its heap gives memory back.)
 * Bytes this reader cannot parse go to onnxruntime unchanged, which then names the problem.
 */
export function modelForEngine(engine: OrtEngine, config: ModelConfig, modelBytes: Uint8Array): PreparedModel {
  try {
    const prepared: PreparedModel = { bytes: modelBytes };
    const externalData: ExternalDataFile[] = [];
    const addExternalData = (bytes: Uint8Array, file: ExternalDataFile) => {
      prepared.bytes = bytes;
      externalData.push(file);
      prepared.externalData = externalData;
    };
    const externalized = engine.name === 'wasm' ? externalizeInitializers(modelBytes, 'weights') : undefined;
    if (externalized) addExternalData(externalized.bytes, externalized.externalData);
    const shape = attentionShapeOf(config);
    if (shape) {
      const fused = fuseGroupQueryAttention(prepared.bytes, shape, config.numLayers);
      if (fused.fusedLayers > 0) {
        prepared.bytes = fused.bytes;
        prepared.fusedAttention = { layers: fused.fusedLayers, nodesBefore: fused.nodesBefore, nodesAfter: fused.nodesAfter };
      }
    }
    // Before the slice, so that the LM head is sliced as a float MatMul.
    if (engine.name === 'webgpu') {
      const dequantized = dequantizeIntegerWeights(prepared.bytes, { maxWeightBytes: maxDequantizedWeightBytes, path: 'dequantized-weights' });
      if (dequantized.externalData) {
        addExternalData(dequantized.bytes, dequantized.externalData);
        prepared.dequantizedWeights = { nodes: dequantized.lookups + dequantized.matMuls, bytes: dequantized.weightBytes };
      }
    }
    const sliced = sliceLogitsToLastPosition(prepared.bytes);
    if (sliced.sliced) {
      prepared.bytes = sliced.bytes;
      prepared.lastPositionLogits = true;
    }
    if (engine.name === 'wasm') {
      const requantized = requantizeBlockQuantizedMatMuls(prepared.bytes, { maxWeightBytes: maxRequantizedWeightBytes, lmHeadWidth: config.vocabSize, path: 'requantized-weights', external: externalData });
      if (requantized.externalData) {
        addExternalData(requantized.bytes, requantized.externalData);
        prepared.requantizedWeights = { nodes: requantized.requantizedNodes, bytes: requantized.weightBytes };
      }
      const detached = detachQuantizedLmHead(prepared.bytes, externalData);
      const kernel = detached && QuantizedLmHead.create(detached.head);
      if (detached && kernel) {
        prepared.bytes = detached.bytes;
        prepared.detachedHead = { kernel, outputs: detached.outputs };
      }
    }
    return prepared;
  } catch {
    return { bytes: modelBytes };
  }
}
