// Benchmark leg: this runtime's core (generate) on onnxruntime-web WASM or onnxruntime-node.
import { loadModelDirectory } from '../../../runtime/node/load-model-directory.js';
import { createWasmEngine } from '../../../runtime/node/ort-web-engine.js';
import { createNativeEngine } from '../../../runtime/node/ort-native-engine.js';
import { generate } from '../../../runtime/core/generation/generate.js';
import { buildPrompt } from '../../../runtime/core/generation/prompt-builder.js';
import { parseLegOptions, reportLeg, sinceProcessStart, type RunTiming } from '../leg-result.js';
import { benchModelDirectory } from './bench-model.js';
import { measureGateCost } from './measure-gate-cost.js';

const backend = process.argv[2] as 'wasm' | 'native';
const options = parseLegOptions(process.argv);
const engine = backend === 'native' ? await createNativeEngine({ threads: options.threads }) : createWasmEngine({ threads: options.threads });
const started = performance.now();
const model = await loadModelDirectory(benchModelDirectory, { dtype: options.dtype, engine });
const loadMs = performance.now() - started;
const promptIds = buildPrompt(model.tokenizer, [{ role: 'user', content: options.prompt }], { contextLength: model.contextLength, reserveForAnswer: options.tokens }).ids;

let coldStartMs = 0;
const timings: RunTiming[] = [];
for (let run = 0; run < options.warmup + options.runs; run++) {
  for await (const event of generate(model, { promptIds, maxTokens: options.tokens, ignoreEos: true })) {
    if (event.type === 'token' && coldStartMs === 0) coldStartMs = sinceProcessStart();
    if (event.type !== 'done' || run < options.warmup) continue;
    const { timings: t, completionTokens } = event.result;
    timings.push({ ttftMs: t.ttftMs, prefillMs: t.prefillMs, decodeMs: t.decodeMs, promptTokens: promptIds.length, newTokens: completionTokens });
  }
}
const gate = await measureGateCost(model, promptIds, options.tokens);
reportLeg(`core ${backend}`, options, loadMs, coldStartMs, timings, engine.name, `gate bookkeeping ${gate.gateMicrosPerToken.toFixed(1)} µs/token = ${gate.percent.toFixed(2)}% of a ${(gate.stepMicros / 1000).toFixed(2)} ms decode step`);
