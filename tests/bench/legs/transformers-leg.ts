// Benchmark leg: @huggingface/transformers text-generation on the same model files (native CPU in Node).
import { env, pipeline, TextStreamer, type TextGenerationPipeline } from '@huggingface/transformers';
import { parseLegOptions, reportLeg, sinceProcessStart, type RunTiming } from '../leg-result.js';
import { benchModelDirectory, benchPromptIds } from './bench-model.js';

const options = parseLegOptions(process.argv);
env.allowRemoteModels = false;
env.localModelPath = benchModelDirectory.replace(/lexicon-tiny\/$/, '');
const dtypes = { q8: 'q8', q4: 'q4', fp32: 'fp32' } as const;
const started = performance.now();
const generator = (await pipeline('text-generation', 'lexicon-tiny', {
  dtype: dtypes[options.dtype],
  device: 'cpu',
  session_options: { intraOpNumThreads: options.threads, interOpNumThreads: 1 },
})) as TextGenerationPipeline;
const loadMs = performance.now() - started;
const promptTokens = benchPromptIds(options.prompt).length;

let coldStartMs = 0;
const timings: RunTiming[] = [];
for (let run = 0; run < options.warmup + options.runs; run++) {
  const t0 = performance.now();
  let first = 0;
  const streamer = new TextStreamer(generator.tokenizer, {
    skip_prompt: true,
    callback_function: () => {
      if (first === 0) first = performance.now();
    },
    token_callback_function: () => {
      if (first === 0) first = performance.now();
      if (coldStartMs === 0) coldStartMs = sinceProcessStart();
    },
  });
  await generator([{ role: 'user', content: options.prompt }], { max_new_tokens: options.tokens, min_new_tokens: options.tokens, do_sample: false, streamer });
  const end = performance.now();
  if (run >= options.warmup) timings.push({ ttftMs: first - t0, prefillMs: first - t0, decodeMs: end - first, promptTokens, newTokens: options.tokens });
}
reportLeg('transformers.js cpu (native)', options, loadMs, coldStartMs, timings, 'native', 'prefill includes tokenization and templating');
