// Benchmark leg: the smallest greedy loop on an ORT engine — the ceiling the core is measured against.
import { createWasmEngine } from '../../../runtime/node/ort-web-engine.js';
import { createNativeEngine } from '../../../runtime/node/ort-native-engine.js';
import { parseLegOptions, reportLeg, sinceProcessStart, type RunTiming } from '../leg-result.js';
import { benchPromptIds } from './bench-model.js';
import { createRawSession, rawGreedyLoop } from './raw-greedy-loop.js';

const backend = process.argv[2] as 'wasm' | 'native';
const options = parseLegOptions(process.argv);
const engine = backend === 'native' ? await createNativeEngine({ threads: options.threads }) : createWasmEngine({ threads: options.threads });
const started = performance.now();
const session = await createRawSession(engine, options.dtype);
const loadMs = performance.now() - started;
const promptIds = benchPromptIds(options.prompt);

let coldStartMs = 0;
const timings: RunTiming[] = [];
for (let run = 0; run < options.warmup + options.runs; run++) {
  const timing = await rawGreedyLoop(engine, session, promptIds, options.tokens, () => (coldStartMs ||= sinceProcessStart()));
  if (run >= options.warmup) timings.push(timing);
}
reportLeg(`raw ${backend}`, options, loadMs, coldStartMs, timings, engine.name);
