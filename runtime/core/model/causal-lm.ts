// CausalLM: one ONNX decoder session on the engine the core was handed, with per-sequence KV caches.
import type { InferenceSession, Tensor } from 'onnxruntime-common';
import { NexusError } from '../nexus-error.js';
import { Mutex } from '../internal/mutex.js';
import type { OrtEngine } from '../platform/ort-engine.js';
import type { ModelConfig } from './model-config.js';
import { discoverSessionIo, type SessionIo } from './session-io.js';
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
  ) {}

  /** Creates the session from the model file's bytes; a bad file is MODEL_CORRUPT. */
  static async create(engine: OrtEngine, config: ModelConfig, modelBytes: Uint8Array, modelFile: string): Promise<CausalLM> {
    let session: InferenceSession;
    try {
      session = await engine.ort.InferenceSession.create(modelBytes, {
        executionProviders: engine.executionProviders,
        graphOptimizationLevel: 'all',
        ...engine.sessionOptions,
      });
    } catch (error) {
      throw new NexusError('MODEL_CORRUPT', { path: modelFile, reason: error instanceof Error ? error.message : String(error) }, { cause: error });
    }
    try {
      return new CausalLM(engine, config, discoverSessionIo(session, config.numLayers, modelFile), session);
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

  async release(): Promise<void> {
    await this.session.release();
  }
}
