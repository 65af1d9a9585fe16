// The model file removed or corrupted under a running appliance: 503 with the breaker state, the breaker opens, and recovers once the file is back.
import { cp, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, type InProcessAppliance } from './appliance-in-process.js';

const COOL_DOWN_MS = 1500;
let root: string;
let modelFile: string;
let t: InProcessAppliance;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'nexus-inference-'));
  const modelsDir = join(root, 'models');
  await cp('models/registry.json', join(modelsDir, 'registry.json'));
  await cp('models/lexicon-tiny', join(modelsDir, 'lexicon-tiny'), { recursive: true });
  modelFile = join(modelsDir, 'lexicon-tiny', 'onnx', 'model_quantized.onnx');
  t = await startInProcess(join(root, 'data'), { modelsDir }, { inferenceBreaker: { failureThreshold: 2, coolDownMs: COOL_DOWN_MS } });
});

afterAll(async () => {
  await t?.app.close('test');
  await rm(root, { recursive: true, force: true });
});

const ask = () => fetch(`${t.app.lanUrl}/api/interact`, { method: 'POST', body: JSON.stringify({ prompt: 'What does harbor mean?' }) });

async function expectRecovers(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, COOL_DOWN_MS + 100));
  const probe = await ask();
  expect(probe.status).toBe(200);
  expect(t.app.daemon.breaker.state).toBe('CLOSED');
  expect((await (await fetch(`${t.app.lanUrl}/health`)).json()).status).not.toBe('unhealthy');
}

describe('inference failure', () => {
  it('a removed model file: 503 INFERENCE_FAILED with the breaker state, then CIRCUIT_OPEN with Retry-After; recovers on restore', async () => {
    expect((await ask()).status).toBe(200);
    await rename(modelFile, `${modelFile}.away`);
    const first = await ask();
    expect(first.status).toBe(503);
    expect((await first.json()).error).toMatchObject({ code: 'INFERENCE_FAILED', details: { breaker: 'CLOSED' } });
    const second = await ask();
    expect((await second.json()).error).toMatchObject({ code: 'INFERENCE_FAILED', details: { breaker: 'OPEN' } });
    const refused = await ask();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect((await refused.json()).error).toMatchObject({ code: 'CIRCUIT_OPEN', details: { name: 'inference', state: 'OPEN' } });
    const health = await fetch(`${t.app.lanUrl}/health`);
    expect(health.status).toBe(503);
    expect((await health.json()).reasons).toContain('inference circuit breaker is open');
    // Streaming clients get the same refusal as a plain JSON error before any SSE byte.
    const streamed = await fetch(`${t.app.lanUrl}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ stream: true, messages: [{ role: 'user', content: 'What does harbor mean?' }] }) });
    expect(streamed.status).toBe(503);
    expect((await streamed.json()).error.code).toBe('CIRCUIT_OPEN');

    await rename(`${modelFile}.away`, modelFile);
    await expectRecovers();
  });

  it('a model file overwritten with garbage: 503, and recovery once the right bytes are copied back', async () => {
    await rename(modelFile, `${modelFile}.good`);
    await writeFile(modelFile, 'not an onnx model');
    const failed = await ask();
    expect(failed.status).toBe(503);
    expect((await failed.json()).error.message).toMatch(/changed on disk/);
    await cp(`${modelFile}.good`, modelFile);
    await expectRecovers();
  });
});
