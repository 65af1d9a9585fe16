// Benchmark leg: this runtime's core (generate) on onnxruntime-web WASM or onnxruntime-node.
import { createWasmEngine } from '../../../runtime/node/ort-web-engine.js';
import { createNativeEngine } from '../../../runtime/node/ort-native-engine.js';
import { pairedFigures, parseLegOptions, peakRssMb, reportLeg, type RunTiming } from '../leg-result.js';
import { benchPromptIds } from './bench-model.js';
import { createPreparedRawSession, createRawSession, rawGreedyLoop } from './raw-greedy-loop.js';
import { measureGateCost } from './measure-gate-cost.js';
import { measureLoopOverhead } from './measure-loop-overhead.js';
import { recordGreedySteps } from './record-greedy-steps.js';
import { loadCoreUnderTest } from './core-answer.js';

const backend = process.argv[2] as 'wasm' | 'native';
/** Tells this leg from the default one run with other options (`2t`: two threads). */
const nameSuffix = process.argv.length > 4 ? process.argv[3] : undefined;
const options = parseLegOptions(process.argv);
const engine = backend === 'native' ? await createNativeEngine({ threads: options.threads }) : createWasmEngine({ threads: options.threads });
const { model, loadMs, promptIds, answer, coldStartMs } = await loadCoreUnderTest(engine, options.dtype, options);

for (let run = 0; run < options.warmup; run++) await answer();
// The core's own peak (load, tier-up, warm-ups), read before the paired raw session below adds its memory.
const peakRss = peakRssMb();

// The raw loop on a second session of the same engine in this process, interleaved with the core's
// answers (rotating which goes first), so core/raw compares runs under the same machine load: once
// on the model file as it is (the engine's ceiling for that file) and once on the graph the core
// prepares from it (what the core's own loop adds).
const rawSession = await createRawSession(engine, options.dtype);
const preparedSession = await createPreparedRawSession(engine, options.dtype);
const rawPromptIds = benchPromptIds(options.prompt);
const raw = () => rawGreedyLoop(engine, rawSession, rawPromptIds, options.tokens);
const rawPrepared = () => rawGreedyLoop(engine, preparedSession, rawPromptIds, options.tokens);
for (let run = 0; run < options.warmup; run++) {
  await raw();
  await rawPrepared();
}
// Three pairs per measured run by default: a core/raw difference of a few percent needs more answers
// than the machine's swings between two answers (±10 % here) to show through the medians.
const pairs = options.pairsPerRun * options.runs;
const timings: RunTiming[] = [];
const rawTimings: RunTiming[] = [];
const preparedTimings: RunTiming[] = [];
for (let run = 0; run < pairs; run++) {
  const steps = [async () => timings.push(await answer()), async () => rawTimings.push(await raw()), async () => preparedTimings.push(await rawPrepared())];
  for (let step = 0; step < steps.length; step++) await steps[(run + step) % steps.length]();
}
await rawSession.session.release();
await preparedSession.session.release();
const recorded = await recordGreedySteps(model, promptIds, options.tokens);
const gate = measureGateCost(recorded);
const loop = await measureLoopOverhead(model, promptIds, recorded);
reportLeg(`core ${backend}${nameSuffix ? ` ${nameSuffix}` : ''}`, options, loadMs, coldStartMs(), timings, engine.name, `gate bookkeeping ${gate.gateMicrosPerToken.toFixed(1)} µs/token = ${gate.percent.toFixed(2)}% of a ${(gate.stepMicros / 1000).toFixed(2)} ms decode step; the whole loop without the model step ${loop.microsPerToken.toFixed(1)} µs/token = ${loop.percent.toFixed(2)}%`, {
  peak_rss_mb: Math.round(peakRss * 10) / 10,
  paired: pairedFigures('the raw greedy loop on the model file, a second session of the same engine in this process, interleaved', timings, rawTimings),
  paired_same_graph: pairedFigures('the raw greedy loop on the graph the core prepares from that file, interleaved', timings, preparedTimings),
});
