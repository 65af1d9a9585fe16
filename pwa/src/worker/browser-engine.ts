// Browser engine selection: WebGPU, threaded WASM or single-thread WASM, by availability and a short measured probe.
import type { OrtEngine, OrtModule } from '../../../runtime/core/index.js';
import type { EngineChoice, EngineReport } from '../protocol/worker-protocol.js';

type Candidate = Exclude<EngineChoice, 'auto'>;

/** Preference order when nothing is measured. */
const candidates: readonly Candidate[] = ['webgpu', 'wasm-threaded', 'wasm-single'];

/** The part of WebGPU's navigator.gpu used here (TypeScript's DOM lib does not declare it). */
interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

/** Why a candidate cannot run here, or undefined when it can. */
async function unavailableReason(candidate: Candidate): Promise<string | undefined> {
  switch (candidate) {
    case 'webgpu': {
      const gpu = (navigator as Navigator & { gpu?: GpuLike }).gpu;
      if (!gpu) return 'navigator.gpu is absent';
      try {
        return (await gpu.requestAdapter()) ? undefined : 'no WebGPU adapter';
      } catch (error) {
        return `requestAdapter failed: ${(error as Error).message}`;
      }
    }
    case 'wasm-threaded':
      if (!globalThis.crossOriginIsolated) return 'the page is not cross-origin isolated (no SharedArrayBuffer)';
      return (navigator.hardwareConcurrency ?? 1) < 2 ? 'only one CPU core' : undefined;
    case 'wasm-single':
      return undefined;
    default: {
      const unknown: never = candidate;
      throw new Error(`unknown engine ${String(unknown)}; expected one of ${candidates.join(', ')}`);
    }
  }
}

/** Creates an engine; `ortBaseUrl` is the app's staged ORT directory (never a CDN). */
export async function createBrowserEngine(candidate: Candidate, ortBaseUrl: string): Promise<OrtEngine> {
  if (candidate === 'webgpu') {
    const ort = await import('onnxruntime-web/webgpu');
    ort.env.wasm.wasmPaths = ortBaseUrl;
    ort.env.wasm.numThreads = 1;
    ort.env.logLevel = 'error';
    return { name: 'webgpu', ort: ort as unknown as OrtModule, executionProviders: ['webgpu'], threads: 1, cacheLocation: 'gpu-buffer' };
  }
  const ort = await import('onnxruntime-web/wasm');
  ort.env.wasm.wasmPaths = ortBaseUrl;
  // ORT fixes the thread count at its first session: one worker hosts one WASM flavour.
  ort.env.wasm.numThreads = candidate === 'wasm-threaded' ? Math.min(4, navigator.hardwareConcurrency) : 1;
  ort.env.logLevel = 'error';
  return { name: 'wasm', ort: ort as unknown as OrtModule, executionProviders: ['wasm'], threads: Number(ort.env.wasm.numThreads) };
}

/**
 * Loads the model on the best WASM flavour that runs here, for a WebGPU engine whose device was
 * lost: WASM was the reference WebGPU was checked against, so it answers alike.
 */
export async function loadWasmFallback<T>(ortBaseUrl: string, load: (engine: OrtEngine) => Promise<T>, webgpuReason: string): Promise<SelectedEngine<T>> {
  const rejected: Record<string, string> = { webgpu: webgpuReason };
  for (const candidate of ['wasm-threaded', 'wasm-single'] as const) {
    const reason = await unavailableReason(candidate);
    if (reason) {
      rejected[candidate] = reason;
      continue;
    }
    const { engine, value } = await loadCandidate(candidate, ortBaseUrl, { load });
    return { engine, value, report: { chosen: candidate, threads: engine.threads, rejected } };
  }
  throw new Error(`no WASM engine runs here: ${JSON.stringify(rejected)}`);
}

/** A candidate's short greedy answer: its decode speed, and its text to hold against the reference's. */
export interface ProbeAnswer {
  tokensPerSecond: number;
  text: string;
}

/**
 * How a candidate engine is tried: `load` puts the model on it, `measure` answers a short prompt
 * greedily on what was loaded (the first answer also warms the engine up), and `release` frees a
 * candidate that is not kept.
 */
export interface EngineProbe<T> {
  load(engine: OrtEngine): Promise<T>;
  measure(value: T): Promise<ProbeAnswer>;
  release(value: T): Promise<void>;
}

/** What a probe between several candidates concluded, kept so that later starts load only the one it chose. */
export interface EngineVerdict {
  /** The candidates it tried: a later start with other candidates (a new GPU, no isolation) probes again. */
  tried: Candidate[];
  report: EngineReport;
  /** Date.now() when it was probed. */
  at: number;
}

/** The engine chosen, what was loaded on it, and the report shown to the user. */
export interface SelectedEngine<T> {
  engine: OrtEngine;
  value: T;
  /** `probe` is absent when nothing was measured yet: a single candidate, one chosen by an earlier verdict, or a reference whose `probeOthers` has not run. */
  report: EngineReport;
  /** Present when candidates were probed now: the caller keeps it for later starts. */
  verdict?: EngineVerdict;
  /**
   * Present when other candidates are still to be held against the one loaded, which can answer
   * meanwhile: measures them all and resolves with the final choice (its verdict included). A
   * candidate not chosen is released, except the one loaded: the caller releases it once it has
   * switched to another.
   */
  probeOthers?: () => Promise<SelectedEngine<T>>;
}

/** A candidate and what was loaded on it. */
interface Loaded<T> {
  candidate: Candidate;
  engine: OrtEngine;
  value: T;
}

/** What became of one candidate that was tried. */
interface Tried<T> extends Loaded<T> {
  answer: ProbeAnswer;
}

/** Loads only the engine an earlier verdict chose; the other candidates keep its reasons, dated. */
async function loadEarlierChoice<T>(earlier: EngineVerdict, ortBaseUrl: string, probe: EngineProbe<T>, rejected: Record<string, string>): Promise<SelectedEngine<T>> {
  const { chosen } = earlier.report;
  const { engine, value } = await loadCandidate(chosen, ortBaseUrl, probe);
  const since = `probed ${new Date(earlier.at).toISOString().slice(0, 10)}`;
  for (const other of earlier.tried) if (other !== chosen) rejected[other] = `${earlier.report.rejected[other] ?? 'not chosen'} (${since})`;
  return { engine, value, report: { chosen, threads: engine.threads, rejected } };
}

/**
 * Picks the engine: the user's choice when it can run, otherwise the working candidates (WebGPU and
 * the best WASM flavour) are each probed and the fastest wins. Every rejected candidate keeps its reason.
 * A single candidate is only loaded: its measurement would delay readiness by a whole answer
 * (~90 ms of a ~610 ms reload in headless Chromium here) and choose nothing. With several, the WASM
 * reference is loaded and returned at once, so the app answers while `probeOthers` measures the
 * rest: loading WebGPU and answering on it took 11 s of a first start on SwiftShader.
 *
 * WebGPU is never taken on trust: onnxruntime-web's WebGPU kernels answer wrongly for some quantized
 * models on some GPUs, without an error (int8 and 4-bit models on Apple and NVIDIA GPUs in
 * transformers.js #1512 and #1728; lexicon-tiny as exported in Chromium's SwiftShader WebGPU here, which
 * the core's WebGPU graph (modelForEngine) mends). Whenever WebGPU is tried, WASM is tried first as
 * the reference, and a WebGPU answer that differs from it rules WebGPU out, even when the user picked
 * it. Candidates not kept are released.
 *
 * When `recall` gives the verdict of a probe among the same candidates, only its choice is loaded:
 * the probe loads every candidate and answers on each, seconds on a WebGPU device. If that engine no
 * longer loads, the candidates are probed again. `recall` is asked only when there is a choice to
 * make, so a single candidate's start does not wait for storage.
 */
export async function selectBrowserEngine<T>(choice: EngineChoice, ortBaseUrl: string, probe: EngineProbe<T>, recall: () => Promise<EngineVerdict | undefined> = async () => undefined): Promise<SelectedEngine<T>> {
  const rejected: Record<string, string> = {};
  const working: Candidate[] = [];
  for (const candidate of candidates) {
    const reason = await unavailableReason(candidate);
    if (reason) rejected[candidate] = reason;
    else working.push(candidate);
  }
  // Threaded and single-thread WASM share one ORT module whose thread count is fixed once.
  if (working.includes('wasm-threaded') && working.includes('wasm-single') && choice !== 'wasm-single') {
    working.splice(working.indexOf('wasm-single'), 1);
    rejected['wasm-single'] = 'threaded WASM is available';
  }
  const reference = working.find((candidate) => candidate !== 'webgpu');
  let toTry = working;
  if (choice !== 'auto') {
    if (working.includes(choice)) {
      toTry = choice === 'webgpu' && reference ? [reference, choice] : [choice];
      for (const other of working) if (!toTry.includes(other)) rejected[other] = `not chosen: the user picked ${choice}`;
    } else rejected[`${choice} (requested)`] = rejected[choice] ?? 'unavailable';
  }
  if (toTry.length === 1) {
    const { engine, value } = await loadCandidate(toTry[0], ortBaseUrl, probe);
    return { engine, value, report: { chosen: toTry[0], threads: engine.threads, rejected } };
  }
  // The reference goes first, so that every other candidate's answer can be held against it.
  toTry = [...toTry].sort((a, b) => Number(b === reference) - Number(a === reference));
  const earlier = await recall();
  if (earlier && earlier.tried.join() === toTry.join()) {
    const kept = await loadEarlierChoice(earlier, ortBaseUrl, probe, rejected).catch(() => undefined);
    if (kept) return kept;
  }
  // The reference answers at once; the others are measured against it afterwards (`probeOthers`).
  const first = toTry[0];
  const loaded = await loadCandidate(first, ortBaseUrl, probe);
  const meanwhile = { ...rejected };
  for (const other of toTry.slice(1)) meanwhile[other] = `being measured against ${first}, which answers meanwhile`;
  const report = { chosen: first, threads: loaded.engine.threads, rejected: meanwhile };
  return { engine: loaded.engine, value: loaded.value, report, probeOthers: () => probeCandidates(loaded, toTry, choice, ortBaseUrl, probe, rejected) };
}

/**
 * Measures `toTry` (the reference first, already `loaded`) and keeps the fastest that agrees with the
 * reference (or the user's pick); the others are released, except the loaded reference, which the
 * caller releases once it has switched.
 */
async function probeCandidates<T>(loaded: Loaded<T>, toTry: Candidate[], choice: EngineChoice, ortBaseUrl: string, probe: EngineProbe<T>, rejected: Record<string, string>): Promise<SelectedEngine<T>> {
  const reference = loaded.candidate;
  const timings: Record<string, number> = {};
  const agreeing: Tried<T>[] = [];
  for (const candidate of toTry) {
    let tried: Tried<T> | undefined;
    let attempt: Loaded<T> | undefined;
    try {
      attempt = candidate === reference ? loaded : await loadCandidate(candidate, ortBaseUrl, probe);
      tried = { ...attempt, answer: await probe.measure(attempt.value) };
    } catch (error) {
      rejected[candidate] = `probe failed: ${(error as Error).message}`;
      // Not waited for: releasing a session whose GPU device was lost may never settle.
      if (attempt && attempt !== loaded) void probe.release(attempt.value).catch(() => undefined);
      continue;
    }
    timings[candidate] = tried.answer.tokensPerSecond;
    const referenceAnswer = agreeing.find((other) => other.candidate === reference)?.answer;
    if (candidate !== reference && !referenceAnswer) {
      rejected[candidate] = `not checked: ${reference} did not answer the probe to hold it against`;
      await probe.release(tried.value);
    } else if (referenceAnswer && tried.answer.text !== referenceAnswer.text) {
      rejected[candidate] = `answers differently from ${reference} (${JSON.stringify(tried.answer.text)} instead of ${JSON.stringify(referenceAnswer.text)}): its kernels compute this model wrongly here`;
      await probe.release(tried.value);
    } else agreeing.push(tried);
  }
  const best = agreeing.find((tried) => tried.candidate === choice) ?? agreeing.reduce<Tried<T> | undefined>((fastest, tried) => (!fastest || tried.answer.tokensPerSecond > fastest.answer.tokensPerSecond ? tried : fastest), undefined);
  // Nothing answered the probe: the reference stays, as loaded, and nothing is kept for later starts.
  if (!best) return { engine: loaded.engine, value: loaded.value, report: { chosen: reference, threads: loaded.engine.threads, rejected, probe: timings } };
  for (const other of agreeing) {
    if (other === best) continue;
    if (other.value !== loaded.value) await probe.release(other.value);
    rejected[other.candidate] = choice === best.candidate ? `not chosen: the user picked ${choice} (${other.candidate} answered only to check it)` : `slower in the probe (${timings[other.candidate].toFixed(1)} tokens/s)`;
  }
  const report: EngineReport = { chosen: best.candidate, threads: best.engine.threads, rejected, probe: timings };
  return { engine: best.engine, value: best.value, report, verdict: { tried: toTry, report, at: Date.now() } };
}

async function loadCandidate<T>(candidate: Candidate, ortBaseUrl: string, probe: Pick<EngineProbe<T>, 'load'>): Promise<Loaded<T>> {
  const engine = await createBrowserEngine(candidate, ortBaseUrl);
  return { candidate, engine, value: await probe.load(engine) };
}
