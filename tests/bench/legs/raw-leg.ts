// Benchmark leg: the smallest greedy loop on an ORT engine — the ceiling the core is measured against.
import type { InferenceSession, Tensor } from 'onnxruntime-common';
import { createWasmEngine } from '../../../runtime/node/ort-web-engine.js';
import { createNativeEngine } from '../../../runtime/node/ort-native-engine.js';
import { parseLegOptions, reportLeg, sinceProcessStart, type RunTiming } from '../leg-result.js';
import { benchModelFile, benchPromptIds } from './bench-model.js';

const backend = process.argv[2] as 'wasm' | 'native';
const options = parseLegOptions(process.argv);
const engine = backend === 'native' ? await createNativeEngine({ threads: options.threads }) : createWasmEngine({ threads: options.threads });
const { Tensor: OrtTensor, InferenceSession: Session } = engine.ort;
const started = performance.now();
const session: InferenceSession = await Session.create(benchModelFile(options.dtype), { executionProviders: engine.executionProviders, graphOptimizationLevel: 'all', ...engine.sessionOptions });
const loadMs = performance.now() - started;
const promptIds = benchPromptIds(options.prompt);
const layers = 8;
const kvHeads = 4;
const headDim = 32;

let coldStartMs = 0;
async function greedy(): Promise<RunTiming> {
  const t0 = performance.now();
  let past: Tensor[] = [];
  let input = promptIds;
  let length = 0;
  let ttftMs = 0;
  let prefillMs = 0;
  for (let step = 0; step < options.tokens; step++) {
    const stepStart = performance.now();
    const total = length + input.length;
    const feeds: Record<string, Tensor> = {
      input_ids: new OrtTensor('int64', BigInt64Array.from(input, BigInt), [1, input.length]),
      attention_mask: new OrtTensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
      position_ids: new OrtTensor('int64', BigInt64Array.from({ length: input.length }, (_, i) => BigInt(length + i)), [1, input.length]),
    };
    for (let l = 0; l < layers; l++) {
      feeds[`past_key_values.${l}.key`] = past[2 * l] ?? new OrtTensor('float32', new Float32Array(0), [1, kvHeads, 0, headDim]);
      feeds[`past_key_values.${l}.value`] = past[2 * l + 1] ?? new OrtTensor('float32', new Float32Array(0), [1, kvHeads, 0, headDim]);
    }
    const out = await session.run(feeds);
    past = [];
    for (let l = 0; l < layers; l++) past.push(out[`present.${l}.key`] as Tensor, out[`present.${l}.value`] as Tensor);
    const logits = out.logits.data as Float32Array;
    const vocab = out.logits.dims[2];
    let best = 0;
    for (let v = 1, offset = logits.length - vocab; v < vocab; v++) if (logits[offset + v] > logits[offset + best]) best = v;
    length = total;
    input = [best];
    if (step === 0) {
      prefillMs = performance.now() - stepStart;
      ttftMs = performance.now() - t0;
      if (coldStartMs === 0) coldStartMs = sinceProcessStart();
    }
  }
  return { ttftMs, prefillMs, decodeMs: performance.now() - t0 - ttftMs, promptTokens: promptIds.length, newTokens: options.tokens };
}

const timings: RunTiming[] = [];
for (let run = 0; run < options.warmup + options.runs; run++) {
  const timing = await greedy();
  if (run >= options.warmup) timings.push(timing);
}
reportLeg(`raw ${backend}`, options, loadMs, coldStartMs, timings, engine.name);
