// warmUpEngine: starts an engine's one-time initialisation early, so it overlaps reading and preparing the model.
import { identityModel } from '../model/onnx/identity-model.js';
import type { OrtEngine } from './ort-engine.js';

/**
 * onnxruntime-web compiles and instantiates its 14 MB WASM module at the first session (~0.4 s
 * in Node here), and only then creates the model's session. Creating (and releasing) a one-node
 * session as soon as the engine exists lets that happen while the model files are read, the
 * tokenizer is parsed and the graph is prepared: lexicon-tiny's load 1,060 → ~780 ms in Node.
 * Resolves either way: if the engine cannot start, the model's own session says why.
 */
export async function warmUpEngine(engine: OrtEngine): Promise<void> {
  try {
    const session = await engine.ort.InferenceSession.create(identityModel(), { executionProviders: engine.executionProviders });
    await session.release();
  } catch {
    // Reported by the real session.
  }
}

/** Each ORT module's warm-up: one module initialises once, however many engines share it. */
const warmUps = new WeakMap<object, Promise<void>>();

/**
 * Starts warmUpEngine for a WASM engine whose ORT module has not started yet (other engines start
 * fast) and returns that module's warm-up, resolved when the module is ready or failed to start.
 */
export function startWarmUp(engine: OrtEngine): Promise<void> {
  if (engine.name !== 'wasm') return Promise.resolve();
  let warmUp = warmUps.get(engine.ort);
  if (!warmUp) {
    warmUp = warmUpEngine(engine);
    warmUps.set(engine.ort, warmUp);
  }
  return warmUp;
}
