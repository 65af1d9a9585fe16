// Loading a model collects its own garbage (file bytes, rewrite copies) before the engine copies the model, where the host exposes gc.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createNativeEngine, nativeEngineAvailable } from '../../../runtime/node/ort-native-engine.js';
import { createWasmEngine } from '../../../runtime/node/ort-web-engine.js';
import { loadModelDirectory } from '../../../runtime/node/load-model-directory.js';
import type { OrtEngine } from '../../../runtime/core/platform/ort-engine.js';
import { lexiconDirectory } from '../../support/lexicon-model.js';

const host = globalThis as { gc?: () => void };
const hostGc = host.gc;
const hasNative = await nativeEngineAvailable();

afterEach(() => {
  host.gc = hostGc;
});

/** Loads lexicon-tiny q8 on `engine` with a gc that counts its calls. */
async function loadCountingGc(engine: OrtEngine): Promise<{ calls: number; modelSha256: string }> {
  let calls = 0;
  host.gc = () => calls++;
  const model = await loadModelDirectory(lexiconDirectory, { dtype: 'q8', engine });
  await model.lm.release();
  return { calls, modelSha256: model.modelSha256 };
}

describe('model load and garbage', () => {
  const fileSha256 = createHash('sha256').update(readFileSync(`${lexiconDirectory}onnx/model_quantized.onnx`)).digest('hex');

  it('collects once per load on WASM, and the fingerprint is still the file’s SHA-256 (hashed while the graph is rewritten)', async () => {
    expect(await loadCountingGc(createWasmEngine())).toEqual({ calls: 1, modelSha256: fileSha256 });
  }, 30_000);

  it.runIf(hasNative)('does the same on native onnxruntime-node', async () => {
    expect(await loadCountingGc(await createNativeEngine({ threads: 1 }))).toEqual({ calls: 1, modelSha256: fileSha256 });
  }, 30_000);

  it('loads as before where the host exposes no gc', async () => {
    delete host.gc;
    const model = await loadModelDirectory(lexiconDirectory, { dtype: 'q8', engine: createWasmEngine() });
    expect(model.modelSha256).toBe(fileSha256);
    await model.lm.release();
  }, 30_000);
});
