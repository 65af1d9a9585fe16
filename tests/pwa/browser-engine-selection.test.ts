// The PWA's engine choice as a policy: WebGPU is held against WASM's answer before it is used, the
// fastest agreeing engine wins unless the user picked one, and what is not kept is released.
// The probe here answers per engine as told; the real engines answer in tests/pwa/pwa.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadWasmFallback, selectBrowserEngine, type EngineProbe, type EngineVerdict, type SelectedEngine } from '../../pwa/src/worker/browser-engine.js';

type Answers = Record<string, { tokensPerSecond: number; text: string }>;

/** A probe whose value is the engine's name; it records what was loaded and released. */
function scriptedProbe(answers: Answers) {
  const loaded: string[] = [];
  const released: string[] = [];
  const probe: EngineProbe<string> = {
    load: async (engine) => {
      const name = engine.name === 'webgpu' ? 'webgpu' : engine.threads > 1 ? 'wasm-threaded' : 'wasm-single';
      loaded.push(name);
      return name;
    },
    measure: async (name) => answers[name],
    release: async (name) => void released.push(name),
  };
  return { probe, loaded, released };
}

const ortBaseUrl = 'http://localhost/ort/';

/** The final choice: after the candidates are measured, when there were several. */
async function finalChoice<T>(selected: Promise<SelectedEngine<T>>): Promise<SelectedEngine<T>> {
  const first = await selected;
  return first.probeOthers ? first.probeOthers() : first;
}
const right = 'probe (verb): examine';

describe('selectBrowserEngine', () => {
  beforeEach(() => {
    vi.stubGlobal('navigator', { gpu: { requestAdapter: async () => ({}) }, hardwareConcurrency: 2 });
    vi.stubGlobal('crossOriginIsolated', true);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('answers on the WASM reference at once; WebGPU is loaded and measured against it only by probeOthers, which leaves the reference to the caller', async () => {
    const { probe, loaded, released } = scriptedProbe({ webgpu: { tokensPerSecond: 900, text: right }, 'wasm-threaded': { tokensPerSecond: 300, text: right } });
    const selected = await selectBrowserEngine('auto', ortBaseUrl, probe);
    expect(selected.value).toBe('wasm-threaded');
    expect(selected.report).toEqual({ chosen: 'wasm-threaded', threads: 2, rejected: { 'wasm-single': 'threaded WASM is available', webgpu: 'being measured against wasm-threaded, which answers meanwhile' } });
    expect(selected.verdict).toBeUndefined();
    expect(loaded).toEqual(['wasm-threaded']);
    const chosen = await selected.probeOthers?.();
    expect(chosen?.value).toBe('webgpu');
    expect(loaded).toEqual(['wasm-threaded', 'webgpu']);
    expect(released).toEqual([]);
  });

  it('keeps the reference when nothing answers the probe (no verdict), and releases the candidate that failed', async () => {
    const { probe, released } = scriptedProbe({});
    probe.measure = async (name) => {
      throw new Error(`${name} failed`);
    };
    const selected = await finalChoice(selectBrowserEngine('auto', ortBaseUrl, probe));
    expect(selected.value).toBe('wasm-threaded');
    expect(selected.report.rejected).toMatchObject({ 'wasm-threaded': 'probe failed: wasm-threaded failed', webgpu: 'probe failed: webgpu failed' });
    expect(selected.verdict).toBeUndefined();
    expect(released).toEqual(['webgpu']);
  });

  it('does not take a WebGPU answer unchecked when the reference could not answer the probe', async () => {
    const { probe, released } = scriptedProbe({ webgpu: { tokensPerSecond: 900, text: right } });
    const measure = probe.measure;
    probe.measure = async (name) => {
      if (name === 'wasm-threaded') throw new Error('wasm-threaded failed');
      return measure(name);
    };
    const selected = await finalChoice(selectBrowserEngine('auto', ortBaseUrl, probe));
    expect(selected.value).toBe('wasm-threaded');
    expect(selected.report.rejected.webgpu).toBe('not checked: wasm-threaded did not answer the probe to hold it against');
    expect(selected.verdict).toBeUndefined();
    expect(released).toEqual(['webgpu']);
  });

  it('rules out a WebGPU that answers differently from WASM, though faster, and releases it', async () => {
    const { probe, loaded, released } = scriptedProbe({ webgpu: { tokensPerSecond: 900, text: 'iaryitivolations sk' }, 'wasm-threaded': { tokensPerSecond: 300, text: right } });
    const selected = await finalChoice(selectBrowserEngine('auto', ortBaseUrl, probe));
    expect(selected.report.chosen).toBe('wasm-threaded');
    expect(selected.report.rejected.webgpu).toBe('answers differently from wasm-threaded ("iaryitivolations sk" instead of "probe (verb): examine"): its kernels compute this model wrongly here');
    expect(loaded).toEqual(['wasm-threaded', 'webgpu']);
    expect(released).toEqual(['webgpu']);
    expect(selected.verdict?.tried).toEqual(['wasm-threaded', 'webgpu']);
  });

  it('rules it out when the user picked it, too', async () => {
    const { probe, released } = scriptedProbe({ webgpu: { tokensPerSecond: 900, text: 'wrong' }, 'wasm-threaded': { tokensPerSecond: 300, text: right } });
    const selected = await finalChoice(selectBrowserEngine('webgpu', ortBaseUrl, probe));
    expect(selected.report.chosen).toBe('wasm-threaded');
    expect(selected.report.rejected.webgpu).toMatch(/^answers differently from wasm-threaded/);
    expect(released).toEqual(['webgpu']);
  });

  it('takes the faster engine when both answer alike (the reference it leaves is the caller\'s to release)', async () => {
    const { probe, released } = scriptedProbe({ webgpu: { tokensPerSecond: 900, text: right }, 'wasm-threaded': { tokensPerSecond: 300, text: right } });
    const selected = await finalChoice(selectBrowserEngine('auto', ortBaseUrl, probe));
    expect(selected.value).toBe('webgpu');
    expect(selected.report).toMatchObject({ chosen: 'webgpu', probe: { webgpu: 900, 'wasm-threaded': 300 } });
    expect(selected.report.rejected['wasm-threaded']).toBe('slower in the probe (300.0 tokens/s)');
    expect(released).toEqual([]);
  });

  it('keeps the user\'s pick of WebGPU when it answers alike, however slow', async () => {
    const { probe, released } = scriptedProbe({ webgpu: { tokensPerSecond: 2.6, text: right }, 'wasm-threaded': { tokensPerSecond: 300, text: right } });
    const selected = await finalChoice(selectBrowserEngine('webgpu', ortBaseUrl, probe));
    expect(selected.report.chosen).toBe('webgpu');
    expect(selected.report.rejected['wasm-threaded']).toBe('not chosen: the user picked webgpu (wasm-threaded answered only to check it)');
    expect(released).toEqual([]);
  });

  it('loads only the engine an earlier verdict among the same candidates chose, and probes again for others', async () => {
    const answers = { webgpu: { tokensPerSecond: 900, text: right }, 'wasm-threaded': { tokensPerSecond: 300, text: right } };
    const earlier: EngineVerdict = { tried: ['wasm-threaded', 'webgpu'], report: { chosen: 'webgpu', threads: 1, rejected: { 'wasm-threaded': 'slower in the probe (300.0 tokens/s)' } }, at: Date.UTC(2026, 10, 20) };
    const kept = scriptedProbe(answers);
    const selected = await selectBrowserEngine('auto', ortBaseUrl, kept.probe, async () => earlier);
    expect(kept.loaded).toEqual(['webgpu']);
    expect(selected.verdict).toBeUndefined();
    expect(selected.report.rejected['wasm-threaded']).toBe('slower in the probe (300.0 tokens/s) (probed 2026-11-20)');

    vi.stubGlobal('crossOriginIsolated', false);
    const again = scriptedProbe({ ...answers, 'wasm-single': answers['wasm-threaded'] });
    const reprobed = await finalChoice(selectBrowserEngine('auto', ortBaseUrl, again.probe, async () => earlier));
    expect(again.loaded).toEqual(['wasm-single', 'webgpu']);
    expect(reprobed.verdict?.tried).toEqual(['wasm-single', 'webgpu']);
  });
});

describe('loadWasmFallback (after a lost WebGPU device)', () => {
  afterEach(() => vi.unstubAllGlobals());
  const lost = 'the GPU device was lost (unknown)';

  it('loads threaded WASM where the page is cross-origin isolated, and keeps why WebGPU left', async () => {
    vi.stubGlobal('navigator', { hardwareConcurrency: 2 });
    vi.stubGlobal('crossOriginIsolated', true);
    const { probe, loaded } = scriptedProbe({});
    const fallback = await loadWasmFallback(ortBaseUrl, probe.load, lost);
    expect(loaded).toEqual(['wasm-threaded']);
    expect(fallback.report).toEqual({ chosen: 'wasm-threaded', threads: 2, rejected: { webgpu: lost } });
  });

  it('loads single-thread WASM where threads cannot run, saying why', async () => {
    vi.stubGlobal('navigator', { hardwareConcurrency: 8 });
    vi.stubGlobal('crossOriginIsolated', false);
    const { probe, loaded } = scriptedProbe({});
    const fallback = await loadWasmFallback(ortBaseUrl, probe.load, lost);
    expect(loaded).toEqual(['wasm-single']);
    expect(fallback.report.rejected).toEqual({ webgpu: lost, 'wasm-threaded': 'the page is not cross-origin isolated (no SharedArrayBuffer)' });
  });
});
