// Bench worker: @huggingface/transformers text-generation on WASM in a browser worker, all files from the local server.
import { env, pipeline, TextStreamer, type TextGenerationPipeline } from '@huggingface/transformers';
import type { RunTiming } from '../leg-result.js';
import { serveBench, wallClock, type BenchReply, type BenchRequest } from './bench-protocol.js';

async function bench(request: BenchRequest): Promise<BenchReply> {
  if (request.threads > 1 && !globalThis.crossOriginIsolated) throw new Error(`${request.threads} threads need a cross-origin isolated page`);
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  // A path, not a URL: transformers.js 4.3 checks that tokenizer files exist only for non-URL local paths
  // (with a URL and remote models off it loads no tokenizer). The server mounts the repo's models/ here.
  env.localModelPath = new URL('models/', request.origin).pathname;
  const wasm = env.backends.onnx.wasm;
  if (!wasm) throw new Error('transformers.js has no onnxruntime-web WASM backend here');
  // transformers.js's own default WASM flavour (asyncify, which its WebGPU build needs), from the local server, not jsDelivr.
  const ortBase = new URL('tjs-ort/', request.origin).href;
  wasm.wasmPaths = { mjs: `${ortBase}ort-wasm-simd-threaded.asyncify.mjs`, wasm: `${ortBase}ort-wasm-simd-threaded.asyncify.wasm` };
  wasm.numThreads = request.threads;
  const started = performance.now();
  const generator = (await pipeline('text-generation', 'lexicon-tiny', { dtype: request.dtype, device: 'wasm' })) as TextGenerationPipeline;
  const loadMs = performance.now() - started;
  const promptTokens = (generator.tokenizer.apply_chat_template([{ role: 'user', content: request.prompt }], { add_generation_prompt: true, tokenize: true, return_tensor: false, return_dict: false }) as number[]).length;

  let firstTokenAt = 0;
  const timings: RunTiming[] = [];
  for (let run = 0; run < request.warmup + request.runs; run++) {
    const t0 = performance.now();
    let first = 0;
    const streamer = new TextStreamer(generator.tokenizer, {
      skip_prompt: true,
      token_callback_function: () => {
        if (first === 0) first = performance.now();
        if (firstTokenAt === 0) firstTokenAt = wallClock();
      },
    });
    await generator([{ role: 'user', content: request.prompt }], { max_new_tokens: request.tokens, min_new_tokens: request.tokens, do_sample: false, streamer });
    const end = performance.now();
    if (run >= request.warmup) timings.push({ ttftMs: first - t0, prefillMs: first - t0, decodeMs: end - first, promptTokens, newTokens: request.tokens });
  }
  return { type: 'result', loadMs, firstTokenAt, timings, engine: `wasm (onnxruntime-web ${env.backends.onnx.versions?.web ?? '?'})`, threads: Number(wasm.numThreads), crossOriginIsolated: globalThis.crossOriginIsolated, note: 'prefill includes tokenization and templating' };
}

serveBench(bench);
