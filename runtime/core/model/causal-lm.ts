// CausalLM: one ONNX decoder session on the engine the core was handed, with per-sequence KV caches.
import type { InferenceSession, Tensor } from 'onnxruntime-common';
import { NexusError } from '../nexus-error.js';
import { Mutex } from '../internal/mutex.js';
import type { OrtEngine } from '../platform/ort-engine.js';
import type { ModelConfig } from './model-config.js';
import { discoverSessionIo, type SessionIo } from './session-io.js';
import { DecoderSequence } from './decoder-sequence.js';

/**
 * Free dimensions of a one-token decode step in Optimum exports. Fixing them lets ORT fold the
 * shape arithmetic (Shape → Gather → Unsqueeze → Concat chains) of the export's unfused attention.
 */
const decodeStepDimensions = { batch_size: 1, sequence_length: 1 };

/**
 * Whether an engine gets a second session specialized for one-token steps. Native CPU: decode
 * +25% (lexicon-tiny q8, 1 thread: 562 → 706 tok/s in one process), for a second copy of the
 * weights. WASM: no measurable gain (269 vs 264 tok/s), so not worth the memory there.
 */
function usesDecodeSession(engine: OrtEngine): boolean {
  return engine.name === 'native';
}

/** A loaded decoder; each conversation runs in its own DecoderSequence (its own KV cache). */
export class CausalLM {
  /** One run at a time: ORT WASM sessions are not re-entrant. */
  private readonly runLock = new Mutex();

  private constructor(
    readonly engine: OrtEngine,
    readonly config: ModelConfig,
    readonly io: SessionIo,
    private readonly session: InferenceSession,
    /** Same model, dimensions fixed for one-token steps; absent where it does not pay. */
    private readonly decodeSession: InferenceSession | undefined,
  ) {}

  /** Creates the session from the model file's bytes; a bad file is MODEL_CORRUPT. */
  static async create(engine: OrtEngine, config: ModelConfig, modelBytes: Uint8Array, modelFile: string): Promise<CausalLM> {
    const options: InferenceSession.SessionOptions = {
      executionProviders: engine.executionProviders,
      graphOptimizationLevel: 'all',
      ...engine.sessionOptions,
    };
    const sessions: InferenceSession[] = [];
    try {
      sessions.push(await engine.ort.InferenceSession.create(modelBytes, options));
      if (usesDecodeSession(engine)) {
        const freeDimensionOverrides = { ...options.freeDimensionOverrides, ...decodeStepDimensions };
        sessions.push(await engine.ort.InferenceSession.create(modelBytes, { ...options, freeDimensionOverrides }));
      }
    } catch (error) {
      await Promise.all(sessions.map((session) => session.release()));
      throw new NexusError('MODEL_CORRUPT', { path: modelFile, reason: error instanceof Error ? error.message : String(error) }, { cause: error });
    }
    try {
      return new CausalLM(engine, config, discoverSessionIo(sessions[0], config.numLayers, modelFile), sessions[0], sessions[1]);
    } catch (error) {
      await Promise.all(sessions.map((session) => session.release()));
      throw error;
    }
  }

  /** A fresh sequence with an empty (zero-length) past. */
  newSequence(): DecoderSequence {
    return new DecoderSequence(this);
  }

  /**
   * Runs the model with the given feeds, serialized with every other run on this model.
   * `oneToken` (a decode step: one new token, batch of one) may use the specialized session.
   */
  run(feeds: Record<string, Tensor>, oneToken = false): Promise<InferenceSession.OnnxValueMapType> {
    const session = oneToken && this.decodeSession ? this.decodeSession : this.session;
    return this.runLock.run(async () => {
      try {
        return await session.run(feeds);
      } catch (error) {
        throw new NexusError('INFERENCE_FAILED', { reason: error instanceof Error ? error.message : String(error) }, { cause: error });
      }
    });
  }

  async release(): Promise<void> {
    await this.session.release();
    await this.decodeSession?.release();
  }
}
