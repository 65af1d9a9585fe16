// OrtEngine: the onnxruntime module the core is handed (onnxruntime-web WASM/WebGPU or onnxruntime-node).
import type { InferenceSession, Tensor } from 'onnxruntime-common';

/** The part of the onnxruntime-common API the core uses; every ORT package exports it. */
export interface OrtModule {
  InferenceSession: typeof InferenceSession;
  Tensor: typeof Tensor;
}

/** An engine: an ORT module plus the execution provider and session options to use with it. */
export interface OrtEngine {
  /** Reported name: `wasm`, `webgpu` or `native`. */
  readonly name: 'wasm' | 'webgpu' | 'native';
  readonly ort: OrtModule;
  /** Execution providers passed to InferenceSession.create (e.g. ['wasm'], ['webgpu'], ['cpu']). */
  readonly executionProviders: string[];
  /** Intra-op threads the engine actually runs with (1 when threads are unavailable). */
  readonly threads: number;
  /**
   * Where the KV cache stays between steps: 'gpu-buffer' keeps it on the GPU (WebGPU), where it is
   * otherwise read back into JS after every step and uploaded again for the next.
   */
  readonly cacheLocation?: 'gpu-buffer';
  /** Extra session options (graph optimization level, free dimension overrides, ...). */
  readonly sessionOptions?: InferenceSession.SessionOptions;
}
