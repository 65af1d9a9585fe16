// The configured backend picks the appliance's engine: status, the startup log and answers follow it.
import { afterAll, describe, expect, it } from 'vitest';
import { nativeEngineAvailable } from '../../../runtime/node/ort-native-engine.js';
import { selectEngine } from '../../../runtime/node/select-engine.js';
import { startTestAppliance, type TestAppliance } from './appliance-harness.js';

const nativeInstalled = await nativeEngineAvailable();
const started: TestAppliance[] = [];

afterAll(async () => {
  await Promise.all(started.map((appliance) => appliance.stop()));
});

async function startWith(backend: 'wasm' | 'native' | 'auto'): Promise<TestAppliance> {
  const appliance = await startTestAppliance({ backend });
  started.push(appliance);
  return appliance;
}

async function engineAndAnswer(appliance: TestAppliance): Promise<{ engine: string; response: string; selected: Record<string, unknown> }> {
  const url = appliance.app.lanUrl;
  const status = (await (await fetch(`${url}/api/status`)).json()) as { model: { engine: string } };
  const answer = await fetch(`${url}/api/interact`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'What does river mean?' }) });
  expect(answer.status).toBe(200);
  const selectedLine = appliance.logs.map((line) => JSON.parse(line) as Record<string, unknown>).find((entry) => entry.event === 'engine.selected');
  expect(selectedLine, 'an engine.selected log line').toBeDefined();
  return { engine: status.model.engine, response: ((await answer.json()) as { response: string }).response, selected: selectedLine! };
}

describe('backend: which engine the appliance runs', { timeout: 120_000 }, () => {
  it('wasm (the default) runs onnxruntime-web and says so', async () => {
    const { engine, response, selected } = await engineAndAnswer(await startWith('wasm'));
    expect(engine).toBe('wasm');
    expect(response).toContain('a large natural stream of water');
    expect(selected).toMatchObject({ backend: 'wasm', engine: 'wasm', reasons: ['wasm: configured'] });
  });

  it.runIf(nativeInstalled)('native runs onnxruntime-node and answers the same', async () => {
    const { engine, response, selected } = await engineAndAnswer(await startWith('native'));
    expect(engine).toBe('native');
    expect(response).toContain('a large natural stream of water');
    expect(selected).toMatchObject({ backend: 'native', engine: 'native' });
  });

  it.runIf(nativeInstalled)('auto picks native where onnxruntime-node is installed, and logs why', async () => {
    const { engine, selected } = await engineAndAnswer(await startWith('auto'));
    expect(engine).toBe('native');
    expect(selected.reasons).toEqual(['native: onnxruntime-node is installed', 'wasm: passed over (native is faster on CPUs)']);
  });

  it.runIf(!nativeInstalled)('native without onnxruntime-node is an error naming the backend key', async () => {
    await expect(selectEngine('native')).rejects.toMatchObject({ code: 'INVALID_OPTION', details: { key: 'backend' } });
  });
});
