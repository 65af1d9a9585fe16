// The inference worker: the shared core's Assistant on a browser engine, Cache Storage model files and IndexedDB checkpoints.
import {
  Assistant,
  checkAssistantSections,
  GateCalibration,
  LearnerMemory,
  TeacherClient,
  decodeCheckpoint,
  encodeAssistantCheckpoint,
  filesForDtype,
  gateSettingsFor,
  loadLanguageModel,
  loadNewestCheckpoint,
  parseModelRegistry,
  restoreAssistantState,
  toNexusError,
  NexusError,
  type LanguageModel,
  type OrtEngine,
  defaultModelMirror,
  modelFileUrl,
  type RegistryEntry,
} from '../../../runtime/core/index.js';
import type { TeacherTarget, WorkerEvent, WorkerRequest } from '../protocol/worker-protocol.js';
import { loadWasmFallback, selectBrowserEngine, type ProbeAnswer } from './browser-engine.js';
import { CacheModelSource } from './cache-model-source.js';
import { readEngineVerdict, writeEngineVerdict } from './engine-verdict-store.js';
import { GpuDeviceLoss, GpuDeviceLostError } from './gpu-device-loss.js';
import { IdbCheckpointStore } from './idb-checkpoint-store.js';
import { StoredMemorySync } from './stored-memory-sync.js';

const PRODUCER = 'nexus-edge/0.1.0 pwa';

const scope = self as unknown as DedicatedWorkerGlobalScope;
/** This build of the worker: its script's file name carries the bundle's content hash (core and onnxruntime included). */
const appBuild = scope.location.pathname;
const store = new IdbCheckpointStore();
const memorySync = new StoredMemorySync(store, PRODUCER);
memorySync.onOtherTabWrote(() => void exclusively(async () => assistant && memorySync.pull(assistant)).catch(() => undefined));
const running = new Map<number, AbortController>();
/** Asks stopped while they waited in the queue (behind the model's load, say): answered as stopped at once, skipped when their turn comes. */
const stoppedBeforeStart = new Set<number>();
/** Request ids grow in the order requests arrive and queued work runs in that order: a stopped id above this one is still queued. */
let newestStartedAsk = 0;
let assistant: Assistant | undefined;
let queue: Promise<void> = Promise.resolve();
/** How the loaded model is loaded again on another engine, and its name as shown. */
let reloadOn: { load: (engine: OrtEngine) => Promise<LanguageModel>; ortBaseUrl: string; model: string } | undefined;
/** Set while the model runs on a WebGPU device. */
let deviceLoss: GpuDeviceLoss | undefined;

function post(event: WorkerEvent, transfer: Transferable[] = []): void {
  scope.postMessage(event, transfer);
}

/** Why the model failed to load: what every later request that needs it fails with. */
let loadError: NexusError | undefined;

function ready(): Assistant {
  if (loadError) throw loadError;
  if (!assistant) throw new NexusError('INTERNAL', { reason: 'the model is not loaded yet' });
  return assistant;
}

function teacherFor(target: TeacherTarget | undefined): TeacherClient | undefined {
  if (!target) return undefined;
  return new TeacherClient({ baseUrl: `${target.url.replace(/\/+$/, '')}/v1`, model: 'nexus', apiKey: target.key || undefined, fetch: (input, init) => fetch(input, init) });
}

/** Built-in models come from the app's own origin; others from the configured mirror (Hugging Face layout). */
function modelBaseUrl(entry: RegistryEntry, appUrl: string, mirror: string | undefined): string {
  if (entry.builtin) return new URL(`models/${entry.id}/`, appUrl).href;
  if (!entry.repo) throw new NexusError('MODEL_NOT_FOUND', { path: `registry entry ${entry.id} has no repo to pull from` });
  return modelFileUrl(mirror ?? defaultModelMirror, entry.repo, entry.revision, '');
}

async function init(request: Extract<WorkerRequest, { type: 'init' }>): Promise<void> {
  const { model: id, dtype, mirror } = request.model;
  const registryUrl = new URL('models/registry.json', request.appUrl).href;
  const registry = parseModelRegistry(await (await fetch(registryUrl)).json());
  const entry = registry.find((candidate) => candidate.id === id);
  if (!entry) throw new NexusError('MODEL_NOT_FOUND', { path: `registry id "${id}" (known: ${registry.map((candidate) => candidate.id).join(', ')})` });
  const files = filesForDtype(entry, dtype);
  const checksums = Object.fromEntries(files.flatMap((file) => (file.sha256 ? [[file.path, file.sha256]] : [])));
  // Every file of known size counts from the start: the model file is read after the small ones, and
  // the line said "Model ready" once those were in.
  for (const file of files) if (file.size) post({ type: 'progress', file: file.path, loaded: 0, total: file.size });
  const source = new CacheModelSource(modelBaseUrl(entry, request.appUrl, mirror), files.map((file) => file.path), (file, loaded, total) => post({ type: 'progress', file, loaded, total }), checksums);
  const gate = gateSettingsFor(entry, dtype);
  const ortBaseUrl = new URL('ort/', request.appUrl).href;
  reloadOn = { load: (engine) => loadLanguageModel(source, engine, { id, dtype }), ortBaseUrl, model: `${id} ${dtype}` };
  const { load } = reloadOn;
  // Each WebGPU candidate's device is watched from its load on: a loss during the probe fails that candidate.
  const losses = new WeakMap<Assistant, GpuDeviceLoss>();
  const selected = await selectBrowserEngine(request.engine, ortBaseUrl, {
    load: async (engine) => {
      const candidate = new Assistant({ model: await load(engine), calibration: GateCalibration.from(gate.settings, gate.calibrated ? 'registry' : 'default'), memory: new LearnerMemory() });
      const loss = await GpuDeviceLoss.watch(engine);
      if (loss) losses.set(candidate, loss);
      return candidate;
    },
    // The assistant already answering (the probe's reference) is measured between questions; another
    // candidate is measured while questions go on.
    measure: (candidate) => {
      if (candidate === assistant) return exclusively(() => probeAnswer(candidate));
      const loss = losses.get(candidate);
      return loss ? loss.guard(probeAnswer(candidate)) : probeAnswer(candidate);
    },
    release: (candidate) => candidate.model.lm.release(),
  }, () => readEngineVerdict(id, dtype, request.engine, appBuild));
  assistant = selected.value;
  assistant.teacher = teacherFor(request.teacher);
  const newest = await loadNewestCheckpoint(store, { modelSha256: assistant.model.modelSha256, location: 'IndexedDB nexus-checkpoints', validate: checkAssistantSections }).catch(() => null);
  if (newest) restoreAssistantState(assistant, newest.checkpoint);
  memorySync.restoredFrom(newest?.id);
  watchDevice(losses.get(assistant));
  const { model } = reloadOn;
  post({ type: 'ready', id: request.id, engine: selected.report, model, memorySize: assistant.memory.size });
  // The other candidates are measured against the one loaded while it answers; the engine switches
  // between two questions. Unprobed, the engine warms up while the user types: a question sent
  // meanwhile waits in the queue behind it.
  const { probeOthers } = selected;
  if (probeOthers) {
    void probeOthers()
      .then((chosen) =>
        exclusively(async () => {
          if (chosen.value !== selected.value) replaceModel(chosen.value.model, losses.get(chosen.value));
          if (chosen.verdict) await writeEngineVerdict(id, dtype, request.engine, appBuild, chosen.verdict);
          post({ type: 'engine', engine: chosen.report, model, cause: 'probed' });
        }),
      )
      .catch(() => undefined);
  } else {
    const measured = selected.value;
    void exclusively(async () => post({ type: 'measured', tokensPerSecond: (await onEngine(probeAnswer(measured))).tokensPerSecond })).catch(() => undefined);
  }
}

/**
 * Puts `next` under the assistant (memory, gate and teacher stay) with its device watch, and
 * releases the model it replaces without waiting: a lost device's release may never settle.
 */
function replaceModel(next: LanguageModel, loss: GpuDeviceLoss | undefined): void {
  const target = ready();
  const replaced = target.model;
  target.model = next;
  watchDevice(loss);
  void replaced.lm.release().catch(() => undefined);
}

/** Follows the device of a WebGPU engine that answers: when it is lost while nobody asks, WASM takes over at once, before the next question. */
function watchDevice(loss: GpuDeviceLoss | undefined): void {
  deviceLoss = loss;
  loss?.onLost(() => void exclusively(fallBackToWasm).catch(() => undefined));
}

/** Runs `work` in the queue, between requests that use the model. Never await it from queued work (it would wait for itself). */
function exclusively<T>(work: () => Promise<T>): Promise<T> {
  const result = queue.then(work);
  queue = result.then(
    () => undefined,
    () => undefined,
  );
  return result;
}

/** Work on the engine, ended by GpuDeviceLostError if its WebGPU device is lost (it would never settle). */
function onEngine<T>(work: Promise<T>): Promise<T> {
  return deviceLoss ? deviceLoss.guard(work) : work;
}

/**
 * Moves the loaded model from a lost WebGPU device to WASM: memory, gate and teacher stay as they
 * are. The next worker tries WebGPU again (a new device), as its kept verdict says: onnxruntime-web
 * keeps its first device for the life of the worker.
 */
async function fallBackToWasm(): Promise<void> {
  const lost = deviceLoss?.reason;
  if (lost === undefined || !reloadOn) return;
  const { model } = reloadOn;
  const fallback = await loadWasmFallback(reloadOn.ortBaseUrl, reloadOn.load, `the GPU device was lost (${lost}); WASM answers until the app is back from the background, restarts or has its settings applied`);
  replaceModel(fallback.value, undefined);
  post({ type: 'engine', engine: fallback.report, model, cause: 'gpu-lost' });
}

/**
 * A short greedy answer without gate, memory or teacher, given twice: the first runs cold (V8 tiers
 * the WASM kernels up during it; a WebGPU engine compiles its pipelines in it), which made the speed
 * shown at start and the probe's comparison of engines a measure of start-up; the second gives the
 * decode tokens/s and the text.
 */
async function probeAnswer(candidate: Assistant): Promise<ProbeAnswer> {
  const request = { prompt: 'What does probe mean?', maxTokens: 8, gate: false, memory: false, teacher: false, sampling: { temperature: 0 } };
  await candidate.answer(request);
  const answer = await candidate.answer(request);
  return { tokensPerSecond: answer.timings.decodeTokensPerSecond, text: answer.text };
}

/** Answers on the current engine; an answer cut off by a lost GPU device starts over on WASM. */
async function ask(request: Extract<WorkerRequest, { type: 'ask' }>): Promise<void> {
  newestStartedAsk = request.id;
  if (stoppedBeforeStart.delete(request.id)) return;
  const controller = new AbortController();
  running.set(request.id, controller);
  try {
    await streamAnswer(request, controller.signal);
  } catch (error) {
    // onnxruntime may also fail outright on a lost device rather than never settle.
    if (!(error instanceof GpuDeviceLostError) && deviceLoss?.reason === undefined) throw error;
    await fallBackToWasm();
    await streamAnswer(request, controller.signal, true);
  } finally {
    running.delete(request.id);
  }
}

/** `restart`: the first text replaces what an earlier try showed (the text stays until then; `done` replaces it too). */
async function streamAnswer(request: Extract<WorkerRequest, { type: 'ask' }>, signal: AbortSignal, restart = false): Promise<void> {
  const target = ready();
  const events = target.ask({ prompt: request.prompt, signal });
  for (let next = await onEngine(events.next()); !next.done; next = await onEngine(events.next())) {
    const event = next.value;
    if (event.type === 'delta') {
      post(restart ? { type: 'delta', id: request.id, text: event.text, restart } : { type: 'delta', id: request.id, text: event.text });
      restart = false;
    } else {
      const { text, confidence, decision, source, timings, finishReason } = event.answer;
      if (source === 'teacher') await memorySync.persist(target);
      post({ type: 'done', id: request.id, answer: { text, confidence, decision, source, tokensPerSecond: timings.decodeTokensPerSecond, stopped: finishReason === 'aborted' } });
    }
  }
}

/** Requests that use the model run one at a time; stop and configure answer at once. */
async function handle(request: WorkerRequest): Promise<void> {
  switch (request.type) {
    case 'init':
      return init(request).catch((error: unknown) => {
        loadError = toNexusError(error);
        throw loadError;
      });
    case 'configure':
      ready().teacher = teacherFor(request.teacher);
      return post({ type: 'result', id: request.id });
    case 'ask':
      return ask(request);
    case 'stop': {
      const controller = running.get(request.askId);
      if (controller) controller.abort();
      else if (request.askId > newestStartedAsk && !stoppedBeforeStart.has(request.askId)) {
        stoppedBeforeStart.add(request.askId);
        post({ type: 'done', id: request.askId, answer: { text: '', confidence: 0, decision: 'stopped', source: 'model', tokensPerSecond: 0, stopped: true } });
      }
      return post({ type: 'result', id: request.id });
    }
    case 'teach': {
      const target = ready();
      target.teach(request.question, request.answer);
      await memorySync.persist(target);
      return post({ type: 'result', id: request.id, memorySize: target.memory.size });
    }
    case 'export': {
      const target = ready();
      // What another tab taught goes out too.
      await memorySync.pull(target);
      const bytes = await encodeAssistantCheckpoint(target, { producer: PRODUCER });
      return post({ type: 'result', id: request.id, bytes }, [bytes.buffer]);
    }
    case 'import': {
      const target = ready();
      // A sync or an import adds what another device learned; this device's corrections stay.
      restoreAssistantState(target, await decodeCheckpoint(request.bytes, { modelSha256: target.model.modelSha256 }), { memory: 'merge' });
      await memorySync.persist(target);
      return post({ type: 'result', id: request.id, memorySize: target.memory.size });
    }
    default: {
      const unknown: never = request;
      throw new NexusError('INTERNAL', { reason: `unknown worker request ${JSON.stringify(unknown)}` });
    }
  }
}

scope.onmessage = (message: MessageEvent<WorkerRequest>) => {
  const request = message.data;
  const run = () => handle(request).catch((error: unknown) => post({ type: 'error', id: request.id, error: toNexusError(error).toJSON() }));
  if (request.type === 'stop' || request.type === 'configure') void run();
  else void exclusively(run);
};
