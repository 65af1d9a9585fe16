// Bench worker: the shared core's generate on the PWA's browser engine (onnxruntime-web WASM) and model source.
import * as ort from 'onnxruntime-web/wasm';
import { buildPrompt, filesForDtype, generate, loadLanguageModel, parseModelRegistry } from '../../../runtime/core/index.js';
import { createBrowserEngine } from '../../../pwa/src/worker/browser-engine.js';
import { CacheModelSource } from '../../../pwa/src/worker/cache-model-source.js';
import type { RunTiming } from '../leg-result.js';
import { postReply, serveBench, wallClock, type BenchAsk, type BenchReply, type BenchRequest } from './bench-protocol.js';

/** One more answer to the bench prompt, once the bench has loaded the model (the pair page asks for them in turn). */
let answer: (() => Promise<RunTiming>) | undefined;

async function bench(request: BenchRequest): Promise<BenchReply> {
  if (request.threads > 1 && !globalThis.crossOriginIsolated) throw new Error(`${request.threads} threads need a cross-origin isolated page`);
  const started = performance.now();
  // The PWA's own engine factory; the thread count is then pinned to the leg's (the PWA takes min(4, cores)).
  const engine = await createBrowserEngine(request.threads > 1 ? 'wasm-threaded' : 'wasm-single', new URL('ort/', request.origin).href);
  ort.env.wasm.numThreads = request.threads;
  const registry = parseModelRegistry(await (await fetch(new URL('models/registry.json', request.origin))).json());
  const entry = registry.find((candidate) => candidate.id === 'lexicon-tiny');
  if (!entry) throw new Error('lexicon-tiny is not in models/registry.json');
  const files = filesForDtype(entry, request.dtype).map((file) => file.path);
  const source = new CacheModelSource(new URL('models/lexicon-tiny/', request.origin).href, files);
  const model = await loadLanguageModel(source, { ...engine, threads: request.threads }, { id: 'lexicon-tiny', dtype: request.dtype });
  const loadMs = performance.now() - started;
  const promptIds = buildPrompt(model.tokenizer, [{ role: 'user', content: request.prompt }], { contextLength: model.contextLength, reserveForAnswer: request.tokens }).ids;

  let firstTokenAt = 0;
  answer = async () => {
    for await (const event of generate(model, { promptIds, maxTokens: request.tokens, ignoreEos: true })) {
      if (event.type === 'token' && firstTokenAt === 0) firstTokenAt = wallClock();
      if (event.type !== 'done') continue;
      const { timings: t, completionTokens } = event.result;
      return { ttftMs: t.ttftMs, prefillMs: t.prefillMs, decodeMs: t.decodeMs, promptTokens: promptIds.length, newTokens: completionTokens };
    }
    throw new Error('generate ended without a done event');
  };
  for (let run = 0; run < request.warmup; run++) await answer();
  const timings: RunTiming[] = [];
  for (let run = 0; run < request.runs; run++) timings.push(await answer());
  return { type: 'result', loadMs, firstTokenAt, timings, engine: `${engine.name} (onnxruntime-web ${ort.env.versions.web})`, threads: Number(ort.env.wasm.numThreads), crossOriginIsolated: globalThis.crossOriginIsolated };
}

serveBench(bench);
self.addEventListener('message', (event: MessageEvent<BenchAsk | BenchRequest>) => {
  if (!('type' in event.data) || !answer) return;
  answer().then(
    (timing) => postReply({ type: 'answer', timing }),
    (error: unknown) => postReply({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
});
