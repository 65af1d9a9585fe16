// The benchmark's pairwise ratios, each from two legs measured in the same run.
import type { LegResult } from './leg-result.js';

function ratio(legs: LegResult[], numerator: string, denominator: string, field: 'decode_tok_s' | 'ttft_ms'): number | null {
  const a = legs.find((leg) => leg.name === numerator);
  const b = legs.find((leg) => leg.name === denominator);
  if (!a || !b || !b[field]) return null;
  return Math.round((a[field] / b[field]) * 1000) / 1000;
}

export function benchRatios(legs: LegResult[]) {
  return {
    /** Core decode vs the raw loop on the same WASM engine (target ≥ 0.95). */
    decode_vs_raw_wasm: ratio(legs, 'core wasm', 'raw wasm', 'decode_tok_s'),
    /** Core on WASM vs the raw native loop (target ≥ 0.5). */
    decode_vs_raw_native: ratio(legs, 'core wasm', 'raw native', 'decode_tok_s'),
    /** Core on native vs transformers.js on native (target ≥ 1.2). */
    decode_vs_transformers_js: ratio(legs, 'core native', 'transformers.js cpu (native)', 'decode_tok_s'),
    browser_decode_vs_transformers_js: ratio(legs, 'browser core wasm', 'browser transformers.js wasm', 'decode_tok_s'),
    /** Decode through the HTTP API vs the same work in-process (target ≥ 0.95). */
    api_overhead: ratio(legs, 'api wasm', 'assistant wasm', 'decode_tok_s'),
    api_ttft_vs_direct: ratio(legs, 'api wasm', 'assistant wasm', 'ttft_ms'),
    core_ttft_vs_raw_wasm: ratio(legs, 'core wasm', 'raw wasm', 'ttft_ms'),
  };
}
