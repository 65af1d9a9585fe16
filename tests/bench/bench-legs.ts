// The benchmark's legs: which script measures what, and which of them --quick leaves out.
import type { LegOptions } from './leg-result.js';

export interface BenchLeg {
  id: string;
  /** One line for --help. */
  what: string;
  file: string;
  args?: string[];
  /** What --quick changes for this leg (on top of the quick runs and warm-up). */
  quick?: Partial<LegOptions>;
  /** Options this leg always overrides (e.g. its thread count). */
  options?: Partial<LegOptions>;
  /**
   * Left out of --quick (which has to stay under a minute and still gives the five headline
   * ratios): legs that only feed the other ratios, or whose figures the quick run still gets
   * paired inside another leg (the raw loop in core-wasm, the in-process answer in api-wasm).
   */
  fullOnly?: boolean;
}

/** Browser legs pay a Chromium start and a model download each: --quick keeps them to one warm-up. */
const browserQuick: Partial<LegOptions> = { runs: 2, warmup: 1 };

export const benchLegs: readonly BenchLeg[] = [
  { id: 'core-wasm', what: 'the core on onnxruntime-web WASM in Node, paired with raw loops', file: 'core-leg.ts', args: ['wasm'] },
  // Run right after the one-thread leg: ORT fixes a process's thread count, so the two cannot share a process.
  { id: 'core-wasm-2t', what: 'the same on 2 threads', file: 'core-leg.ts', args: ['wasm', '2t'], options: { threads: 2 }, fullOnly: true },
  { id: 'core-wasm-threads', what: 'the core on 2 WASM threads against 1, two processes answering in turn (paired)', file: 'threads-leg.ts', fullOnly: true },
  { id: 'raw-wasm', what: 'the smallest greedy loop on onnxruntime-web WASM', file: 'raw-leg.ts', args: ['wasm'], fullOnly: true },
  { id: 'core-wasm-q4', what: 'the core on q4, paired with q8, WASM', file: 'q4-leg.ts', fullOnly: true },
  { id: 'core-native', what: 'the core on onnxruntime-node, paired with raw loops', file: 'core-leg.ts', args: ['native'] },
  { id: 'raw-native', what: 'the smallest greedy loop on onnxruntime-node', file: 'raw-leg.ts', args: ['native'] },
  { id: 'transformers-native', what: '@huggingface/transformers text-generation, native', file: 'transformers-leg.ts' },
  { id: 'assistant-wasm', what: 'the assistant with the gate on, WASM', file: 'assistant-leg.ts', fullOnly: true },
  { id: 'api-wasm', what: 'the appliance\'s streamed /v1/chat/completions, WASM, paired without HTTP', file: 'api-leg.ts', args: ['wasm'] },
  { id: 'api-native', what: 'the same on backend: native', file: 'api-leg.ts', args: ['native'] },
  // Headless Chromium, WASM: single thread on a plain page, then two threads on a cross-origin isolated one.
  { id: 'browser-core-wasm', what: 'the core in the PWA\'s worker, headless Chromium, 1 thread', file: 'browser-leg.ts', args: ['core'], quick: browserQuick },
  { id: 'browser-transformers-wasm', what: 'transformers.js in a worker, headless Chromium, 1 thread', file: 'browser-leg.ts', args: ['transformers'], quick: browserQuick },
  { id: 'browser-core-wasm-2t', what: 'the core in the worker, cross-origin isolated, 2 threads', file: 'browser-leg.ts', args: ['core', '2'], quick: browserQuick, fullOnly: true },
  { id: 'browser-transformers-wasm-2t', what: 'transformers.js in a worker, cross-origin isolated, 2 threads', file: 'browser-leg.ts', args: ['transformers', '2'], quick: browserQuick, fullOnly: true },
  { id: 'browser-core-wasm-threads', what: 'the core on 2 WASM threads against 1, two workers in one isolated page answering in turn (paired)', file: 'browser-leg.ts', args: ['core', 'pair'], quick: browserQuick, fullOnly: true },
];
