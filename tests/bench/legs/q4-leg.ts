// Benchmark leg: the core on q4 against the core on q8, both on onnxruntime-web WASM, interleaved in one process.
import { createWasmEngine } from '../../../runtime/node/ort-web-engine.js';
import { pairedFigures, parseLegOptions, peakRssMb, reportLeg, type RunTiming } from '../leg-result.js';
import { benchPromptIds } from './bench-model.js';
import { loadCoreUnderTest } from './core-answer.js';
import { createRawSession, rawGreedyLoop } from './raw-greedy-loop.js';

const options = parseLegOptions(process.argv);
const engine = createWasmEngine({ threads: options.threads });
const { model: q4, loadMs, answer: answerQ4, coldStartMs } = await loadCoreUnderTest(engine, 'q4', options);
for (let run = 0; run < options.warmup; run++) await answerQ4();
const peakRss = peakRssMb();

// The same tokenizer: the q8 answers get the same prompt ids.
const { answer: answerQ8 } = await loadCoreUnderTest(engine, 'q8', options);
for (let run = 0; run < options.warmup; run++) await answerQ8();
const timings: RunTiming[] = [];
const q8Timings: RunTiming[] = [];
for (let run = 0; run < options.pairsPerRun * options.runs; run++) {
  const q8First = run % 2 === 1;
  if (q8First) q8Timings.push(await answerQ8());
  timings.push(await answerQ4());
  if (!q8First) q8Timings.push(await answerQ8());
}

// What the same file runs at as it is: onnxruntime-web dequantizing every matrix every run.
const unchanged = await createRawSession(engine, 'q4');
const rawPromptIds = benchPromptIds(options.prompt);
await rawGreedyLoop(engine, unchanged, rawPromptIds, options.tokens);
const slow = await rawGreedyLoop(engine, unchanged, rawPromptIds, options.tokens);
await unchanged.session.release();

const requantized = q4.requantizedWeights;
const requantization = requantized ? `${requantized.nodes} MatMulNBits requantized at load to ${(requantized.bytes / 1e6).toFixed(1)} MB of 8-bit weights` : 'no weights requantized';
reportLeg('core wasm q4', options, loadMs, coldStartMs(), timings, engine.name, `${requantization}; the raw loop on the q4 file as it is: ${(((slow.newTokens - 1) * 1000) / slow.decodeMs).toFixed(1)} tok/s`, {
  peak_rss_mb: Math.round(peakRss * 10) / 10,
  paired: pairedFigures('the core on q8 on the same engine in this process, interleaved', timings, q8Timings),
});
