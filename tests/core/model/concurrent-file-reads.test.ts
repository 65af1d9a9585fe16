// A model's files are requested at once; the first bad file is still the one reported, and the file's bytes are not kept by the reads.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { loadLanguageModel } from '../../../runtime/core/model/language-model.js';
import { NexusError } from '../../../runtime/core/nexus-error.js';
import type { ModelSource } from '../../../runtime/core/platform/model-source.js';
import { FsModelSource } from '../../../runtime/node/fs-model-source.js';
import { createNativeEngine, nativeEngineAvailable } from '../../../runtime/node/ort-native-engine.js';
import { createWasmEngine } from '../../../runtime/node/ort-web-engine.js';
import { lexiconDirectory } from '../../support/lexicon-model.js';

const hasNative = await nativeEngineAvailable();
const host = globalThis as { gc?: () => void };
const hostGc = host.gc;
afterEach(() => {
  host.gc = hostGc;
});

/** lexicon-tiny from disk; config.json's read is held until `releaseConfig`, and every read request is recorded. */
function heldConfigSource(overrides: Record<string, () => Promise<Uint8Array>> = {}) {
  const disk = new FsModelSource(lexiconDirectory);
  const requested: string[] = [];
  let releaseConfig: () => void = () => undefined;
  const configHeld = new Promise<void>((resolve) => (releaseConfig = resolve));
  const source: ModelSource = {
    location: disk.location,
    exists: (path) => disk.exists(path),
    async readBytes(path) {
      requested.push(path);
      if (path === 'config.json') await configHeld;
      return overrides[path] ? overrides[path]() : disk.readBytes(path);
    },
  };
  return { source, requested, releaseConfig };
}

describe('loading a model reads its files concurrently', () => {
  it('requests the tokenizer and the model file before config.json has arrived', async () => {
    const { source, requested, releaseConfig } = heldConfigSource();
    const loading = loadLanguageModel(source, createWasmEngine(), { id: 'lexicon-tiny', dtype: 'q8' });
    await expect.poll(() => requested, { timeout: 5_000 }).toEqual(expect.arrayContaining(['config.json', 'tokenizer.json', 'onnx/model_quantized.onnx']));
    releaseConfig();
    const model = await loading;
    expect(model.modelFile).toBe('onnx/model_quantized.onnx');
    await model.lm.release();
  }, 30_000);

  it('still reports the first bad file in load order, and leaves no other failure unhandled', async () => {
    const missing = (path: string) => () => Promise.reject(new NexusError('MODEL_NOT_FOUND', { path }));
    // config.json fails last in time but first in order; vitest fails the run on an unhandled rejection.
    const { source, releaseConfig } = heldConfigSource({
      'config.json': () => Promise.reject(new NexusError('MODEL_CONFIG_INVALID', { reason: 'config.json held back, then broken' })),
      'tokenizer.json': missing('tokenizer.json'),
      'onnx/model_quantized.onnx': missing('onnx/model_quantized.onnx'),
    });
    const loading = loadLanguageModel(source, createWasmEngine(), { id: 'lexicon-tiny', dtype: 'q8' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    releaseConfig();
    await expect(loading).rejects.toMatchObject({ code: 'MODEL_CONFIG_INVALID' });
  }, 30_000);

  it.runIf(hasNative)('lets the file’s bytes be collected before the session is created (native: the session gets a rewritten copy)', async () => {
    setFlagsFromString('--expose-gc');
    const realGc = runInNewContext('gc') as () => void;
    const disk = new FsModelSource(lexiconDirectory);
    let fileBuffer: WeakRef<ArrayBufferLike> | undefined;
    const source: ModelSource = {
      location: disk.location,
      exists: (path) => disk.exists(path),
      async readBytes(path) {
        const bytes = await disk.readBytes(path);
        if (path.endsWith('.onnx')) fileBuffer = new WeakRef(bytes.buffer);
        return bytes;
      },
    };
    let collectedBeforeSession: boolean | undefined;
    host.gc = () => {
      realGc();
      collectedBeforeSession = fileBuffer !== undefined && fileBuffer.deref() === undefined;
    };
    const model = await loadLanguageModel(source, await createNativeEngine({ threads: 1 }), { id: 'lexicon-tiny', dtype: 'q8' });
    expect(collectedBeforeSession).toBe(true);
    await model.lm.release();
  }, 30_000);
});
