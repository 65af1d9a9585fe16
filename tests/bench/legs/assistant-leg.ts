// Benchmark leg: Assistant.ask in-process with the gate — the same work as the API leg, without HTTP.
import { parseLegOptions, reportLeg, sinceProcessStart, type RunTiming } from '../leg-result.js';
import { benchPromptIds } from './bench-model.js';
import { benchAssistant, heldTokens } from './bench-assistant.js';

const options = parseLegOptions(process.argv);
const started = performance.now();
const assistant = await benchAssistant(options);
const loadMs = performance.now() - started;
const promptTokens = benchPromptIds(options.prompt).length;
const held = heldTokens(assistant);

let coldStartMs = 0;
const timings: RunTiming[] = [];
for (let run = 0; run < options.warmup + options.runs; run++) {
  const t0 = performance.now();
  let first = 0;
  for await (const event of assistant.ask({ prompt: options.prompt, maxTokens: options.tokens, memory: false, teacher: false })) {
    if (event.type === 'delta' && first === 0) {
      first = performance.now();
      if (coldStartMs === 0) coldStartMs = sinceProcessStart();
    }
    if (event.type !== 'done' || run < options.warmup) continue;
    const end = performance.now();
    // newTokens - 1 tokens are timed after the first text: the held tokens came before it.
    timings.push({ ttftMs: first - t0, prefillMs: first - t0, decodeMs: end - first, promptTokens, newTokens: event.answer.usage.completionTokens - held + 1 });
  }
}
reportLeg('assistant wasm', options, loadMs, coldStartMs, timings, assistant.model.lm.engine.name, `gate on: ttft = first text, after the ${held} tokens the gate holds`);
