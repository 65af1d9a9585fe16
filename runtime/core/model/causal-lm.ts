// CausalLM: one ONNX decoder session on the engine the core was handed, with per-sequence KV caches.
import type { InferenceSession, Tensor } from 'onnxruntime-common';
import { NexusError } from '../nexus-error.js';
import { Mutex } from '../internal/mutex.js';
import type { OrtEngine } from '../platform/ort-engine.js';
import type { ModelConfig } from './model-config.js';
import { detachedHeadLogits, sessionOptionsFor, type DetachedHead, type PreparedModel } from './model-for-engine.js';
import { readGraph } from './onnx/onnx-graph.js';
import { cacheOutputNames, discoverSessionIo, type SessionIo } from './session-io.js';
import { DecoderSequence } from './decoder-sequence.js';

/** A loaded decoder; each conversation runs in its own DecoderSequence (its own KV cache). */
export class CausalLM {
  /** One run at a time: ORT WASM sessions are not re-entrant. */
  private readonly runLock = new Mutex();

  private constructor(
    readonly engine: OrtEngine,
    readonly config: ModelConfig,
    readonly io: SessionIo,
    private readonly session: InferenceSession,
    private readonly detachedHead: DetachedHead | undefined,
  ) {}

  /**
   * Creates the session from the model's bytes (a file's, or as modelForEngine prepared them); a bad
   * file is MODEL_CORRUPT. With `detachedHead`, the graph outputs that head's inputs and its kernel
   * computes the logits; with `externalData`, the graph's large weights are read from it.
   */
  static async create(engine: OrtEngine, config: ModelConfig, model: Pick<PreparedModel, 'bytes' | 'detachedHead' | 'externalData'>, modelFile: string): Promise<CausalLM> {
    const { detachedHead, externalData } = model;
    let session: InferenceSession;
    try {
      session = await engine.ort.InferenceSession.create(model.bytes, sessionOptionsFor(engine, externalData, engine.cacheLocation ? cacheOutputsOf(model.bytes, config.numLayers) : []));
    } catch (error) {
      throw new NexusError('MODEL_CORRUPT', { path: modelFile, reason: error instanceof Error ? error.message : String(error) }, { cause: error });
    }
    try {
      const logitOutputs = detachedHead ? Object.values(detachedHead.outputs) : ['logits'];
      return new CausalLM(engine, config, discoverSessionIo(session, config.numLayers, modelFile, logitOutputs), session, detachedHead);
    } catch (error) {
      await session.release();
      throw error;
    }
  }

  /** A fresh sequence with an empty (zero-length) past. */
  newSequence(): DecoderSequence {
    return new DecoderSequence(this);
  }

  /** Runs the session with the given feeds, serialized with every other run on this model. */
  run(feeds: Record<string, Tensor>): Promise<InferenceSession.OnnxValueMapType> {
    return this.runLock.run(async () => {
      try {
        return await this.session.run(feeds);
      } catch (error) {
        throw new NexusError('INFERENCE_FAILED', { reason: error instanceof Error ? error.message : String(error) }, { cause: error });
      }
    });
  }

  /** The last position's logits from a run's outputs (length = vocabulary size); frees the outputs it read. */
  async logitsOf(outputs: InferenceSession.OnnxValueMapType): Promise<Float32Array> {
    if (this.detachedHead) {
      const logits = detachedHeadLogits(this.detachedHead, outputs);
      for (const name of Object.values(this.detachedHead.outputs)) outputs[name].dispose();
      return logits;
    }
    const logits = outputs.logits as Tensor;
    const vocab = logits.dims[logits.dims.length - 1];
    // CPU outputs already hold their data in JS: read it in place, and view (not copy) the last row.
    const data = (logits.location === 'cpu' ? logits.data : await logits.getData()) as Float32Array;
    const last = data.subarray(data.length - vocab);
    logits.dispose();
    return last;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** The KV cache outputs the graph has (ORT refuses an output location for a name the graph lacks; discoverSessionIo then names what is missing). */
function cacheOutputsOf(bytes: Uint8Array, numLayers: number): string[] {
  const outputs = new Set(readGraph(bytes)?.outputNames);
  const { keys, values } = cacheOutputNames(numLayers);
  return [...keys, ...values].filter((name) => outputs.has(name));
}
