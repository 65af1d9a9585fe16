// warmUpEngine starts the engine with a one-node model, and never fails the load it runs beside.
import { describe, expect, it } from 'vitest';
import { identityModel } from '../../../runtime/core/model/onnx/identity-model.js';
import type { OrtEngine, OrtModule } from '../../../runtime/core/platform/ort-engine.js';
import { warmUpEngine } from '../../../runtime/core/platform/warm-up-engine.js';
import { createWasmEngine } from '../../../runtime/node/ort-web-engine.js';

describe('identityModel', () => {
  it('is a valid ONNX model that returns its input', async () => {
    const engine = createWasmEngine();
    const session = await engine.ort.InferenceSession.create(identityModel(), { executionProviders: engine.executionProviders });
    expect(session.inputNames).toEqual(['X']);
    expect(session.outputNames).toEqual(['Y']);
    const input = new engine.ort.Tensor('float32', new Float32Array([2.5]), [1]);
    const outputs = await session.run({ X: input });
    expect(Array.from(outputs.Y!.data as Float32Array)).toEqual([2.5]);
    await session.release();
  });
});

describe('warmUpEngine', () => {
  it('resolves once the engine has created and released a session', async () => {
    await expect(warmUpEngine(createWasmEngine())).resolves.toBeUndefined();
  });

  it('resolves when the engine cannot create sessions, leaving the error to the real load', async () => {
    const created: unknown[] = [];
    const broken = {
      InferenceSession: { create: async (bytes: unknown) => { created.push(bytes); throw new Error('no backend'); } },
    } as unknown as OrtModule;
    const engine: OrtEngine = { name: 'wasm', ort: broken, executionProviders: ['wasm'], threads: 1 };
    await expect(warmUpEngine(engine)).resolves.toBeUndefined();
    expect(created).toHaveLength(1);
  });
});
