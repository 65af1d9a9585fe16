// The benchmark's pairwise ratios, each from two legs measured in the same run.
import type { LegResult } from './leg-result.js';

function ratio(legs: LegResult[], numerator: string, denominator: string, field: 'decode_tok_s' | 'ttft_ms'): number | null {
  const a = legs.find((leg) => leg.name === numerator);
  const b = legs.find((leg) => leg.name === denominator);
  if (!a || !b || !b[field]) return null;
  return Math.round((a[field] / b[field]) * 1000) / 1000;
}

/** A leg against its paired runs (the same work without its extra layer, interleaved in one process): the median per-pair ratio. */
function pairedRatio(legs: LegResult[], name: string, field: 'decode_tok_s' | 'ttft_ms', pairing: 'paired' | 'paired_same_graph' = 'paired'): number | null {
  const paired = legs.find((candidate) => candidate.name === name)?.[pairing];
  if (!paired) return null;
  return field === 'decode_tok_s' ? paired.decode_ratio : paired.ttft_ratio;
}

export function benchRatios(legs: LegResult[]) {
  return {
    /** Core decode vs the raw loop on the same WASM engine, interleaved in one process (target ≥ 0.95). */
    decode_vs_raw_wasm: pairedRatio(legs, 'core wasm', 'decode_tok_s') ?? ratio(legs, 'core wasm', 'raw wasm', 'decode_tok_s'),
    /** The core vs the raw loop on the graph the core prepares (fused attention, ...): the core's own loop (target ≥ 0.95). */
    core_loop_vs_raw_same_graph_wasm: pairedRatio(legs, 'core wasm', 'decode_tok_s', 'paired_same_graph'),
    core_loop_ttft_vs_raw_same_graph_wasm: pairedRatio(legs, 'core wasm', 'ttft_ms', 'paired_same_graph'),
    core_loop_vs_raw_same_graph_native: pairedRatio(legs, 'core native', 'decode_tok_s', 'paired_same_graph'),
    /** The same from the two legs, separate processes run one after the other: noisier, kept for comparison. */
    decode_vs_raw_wasm_leg: ratio(legs, 'core wasm', 'raw wasm', 'decode_tok_s'),
    /** Core on WASM vs the raw native loop (target ≥ 0.5). */
    decode_vs_raw_native: ratio(legs, 'core wasm', 'raw native', 'decode_tok_s'),
    /** Core on native vs transformers.js on native (target ≥ 1.2). */
    decode_vs_transformers_js: ratio(legs, 'core native', 'transformers.js cpu (native)', 'decode_tok_s'),
    browser_decode_vs_transformers_js: ratio(legs, 'browser core wasm', 'browser transformers.js wasm', 'decode_tok_s'),
    /** The same in Chromium with two WASM threads on a cross-origin isolated page. */
    browser_threaded_decode_vs_transformers_js: ratio(legs, 'browser core wasm 2t', 'browser transformers.js wasm 2t', 'decode_tok_s'),
    /** What two WASM threads give the core in Chromium over one (on a 2-core machine, also what they cost). */
    browser_core_threads_speedup: ratio(legs, 'browser core wasm 2t', 'browser core wasm', 'decode_tok_s'),
    /** Two WASM threads over one for the core in Node (two legs run one after the other: ORT fixes a process's thread count). */
    core_threads_speedup_wasm: ratio(legs, 'core wasm 2t', 'core wasm', 'decode_tok_s'),
    /** The same in Chromium, paired: two workers of one isolated page, 2 threads and 1, answering in turn; and its time to first token. */
    browser_core_threads_speedup_paired: pairedRatio(legs, 'browser core wasm 2t vs 1t', 'decode_tok_s'),
    browser_core_threads_ttft_ratio_paired: pairedRatio(legs, 'browser core wasm 2t vs 1t', 'ttft_ms'),
    /** The same paired: two processes, 2 threads and 1, answering in turn (the threads leg); and its time to first token. */
    core_threads_speedup_wasm_paired: pairedRatio(legs, 'core wasm 2t vs 1t', 'decode_tok_s'),
    core_threads_ttft_ratio_wasm_paired: pairedRatio(legs, 'core wasm 2t vs 1t', 'ttft_ms'),
    /** The core's decode in a Chromium worker vs in Node, both single-thread onnxruntime-web WASM. */
    browser_vs_node_core_wasm: ratio(legs, 'browser core wasm', 'core wasm', 'decode_tok_s'),
    /** Decode through the HTTP API vs the same request in the appliance without HTTP, interleaved (target ≥ 0.95). */
    api_overhead: pairedRatio(legs, 'api wasm', 'decode_tok_s') ?? ratio(legs, 'api wasm', 'assistant wasm', 'decode_tok_s'),
    /** Time to first token, the same pairing (target ≤ 1.2). */
    api_ttft_vs_direct: pairedRatio(legs, 'api wasm', 'ttft_ms') ?? ratio(legs, 'api wasm', 'assistant wasm', 'ttft_ms'),
    /** The same two for the appliance on native onnxruntime-node (`backend: native`). */
    api_native_overhead: pairedRatio(legs, 'api native', 'decode_tok_s'),
    api_native_ttft_vs_direct: pairedRatio(legs, 'api native', 'ttft_ms'),
    /** The two ttft ratios less a bare HTTP exchange with the same client (LegResult.http_floor): what the appliance itself adds. */
    api_ttft_vs_direct_beyond_http_floor: legs.find((leg) => leg.name === 'api wasm')?.http_floor?.ttft_ratio_beyond_floor ?? null,
    api_native_ttft_vs_direct_beyond_http_floor: legs.find((leg) => leg.name === 'api native')?.http_floor?.ttft_ratio_beyond_floor ?? null,
    /** The two ttft ratios with fetch (undici) as the client in place of node:http (LegResult.fetch_client). */
    api_ttft_vs_direct_fetch: legs.find((leg) => leg.name === 'api wasm')?.fetch_client?.ttft_ratio ?? null,
    api_native_ttft_vs_direct_fetch: legs.find((leg) => leg.name === 'api native')?.fetch_client?.ttft_ratio ?? null,
    /** Core decode vs the raw loop on native onnxruntime-node, interleaved in one process (target ≥ 0.95, as on WASM). */
    decode_vs_raw_native_same_engine: pairedRatio(legs, 'core native', 'decode_tok_s') ?? ratio(legs, 'core native', 'raw native', 'decode_tok_s'),
    /** The API leg against the assistant leg, a separate process run minutes apart: noisier, kept for comparison. */
    api_vs_assistant_leg: ratio(legs, 'api wasm', 'assistant wasm', 'decode_tok_s'),
    /** The core on q4 vs on q8, WASM, interleaved in one process (target ≥ 1: q4 no slower than q8). */
    decode_q4_vs_q8_wasm: pairedRatio(legs, 'core wasm q4', 'decode_tok_s'),
    core_ttft_vs_raw_wasm: pairedRatio(legs, 'core wasm', 'ttft_ms') ?? ratio(legs, 'core wasm', 'raw wasm', 'ttft_ms'),
  };
}
