// Child of the threads leg: the core on onnxruntime-web WASM with the thread count it is given, warmed up,
// then one answer to the bench prompt for each "ask" line on stdin, its timing as one JSON line on stdout.
import { createInterface } from 'node:readline';
import { createWasmEngine } from '../../../runtime/node/ort-web-engine.js';
import { parseLegOptions } from '../leg-result.js';
import { loadCoreUnderTest } from './core-answer.js';

const threads = Number(process.argv[2]);
const options = parseLegOptions(process.argv);
const core = await loadCoreUnderTest(createWasmEngine({ threads }), options.dtype, options);
for (let run = 0; run < options.warmup; run++) await core.answer();
process.stdout.write(`${JSON.stringify({ event: 'ready', loadMs: core.loadMs, coldStartMs: core.coldStartMs() })}\n`);

let queue = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'ask') return;
  queue = queue.then(async () => {
    const timing = await core.answer();
    process.stdout.write(`${JSON.stringify({ event: 'answered', timing })}\n`);
  });
});
