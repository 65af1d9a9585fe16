// The API leg's floor figures: medians per run of the API's ttft against the paired run and the bare HTTP exchange.
import { describe, expect, it } from 'vitest';
import { combineRounds } from '../../bench/combine-rounds.js';
import { clientFigures, httpFloorFigures, type LegResult, type RunTiming } from '../../bench/leg-result.js';

const timing = (ttftMs: number): RunTiming => ({ ttftMs, prefillMs: ttftMs, decodeMs: 100, promptTokens: 10, newTokens: 64 });

describe('httpFloorFigures', () => {
  it('takes the floor off the API side of each pair before dividing by the paired run', () => {
    const figures = httpFloorFigures('floor', [timing(12), timing(10), timing(11)], [timing(8), timing(8), timing(10)], [2, 1, 1]);
    // Per run: overhead 4, 2, 1 ms; (api − floor) ÷ direct 1.25, 1.125, 1.0.
    expect(figures).toEqual({ what: 'floor', ttft_ms: 1, api_ttft_overhead_ms: 2, ttft_ratio_beyond_floor: 1.125 });
  });

  it('is combined over rounds as the median of each figure, as the paired figures are', () => {
    const leg = (floor: LegResult['http_floor']): LegResult => ({
      name: 'api native', load_ms: 1, prefill_tok_s: 1, decode_tok_s: 1, ttft_ms: 1, cold_start_ms: 1, peak_rss_mb: 1,
      range: { decode_tok_s: [1, 1], ttft_ms: [1, 1] }, runs: 5, engine: 'native', threads: 1, http_floor: floor,
      paired: { what: 'direct', decode_tok_s: 100 * (floor?.ttft_ms ?? 0), ttft_ms: 8, decode_ratio: 0.9, ttft_ratio: 1 + (floor?.ttft_ratio_beyond_floor ?? 0) },
    });
    const rounds = [1.1, 1.3, 1.2].map((ratio, i) => [leg({ what: 'floor', ttft_ms: 1 + i, api_ttft_overhead_ms: 2 + i, ttft_ratio_beyond_floor: ratio })]);
    const [combined] = combineRounds(rounds);
    expect(combined.http_floor).toEqual({ what: 'floor', ttft_ms: 2, api_ttft_overhead_ms: 3, ttft_ratio_beyond_floor: 1.2 });
    expect(combined.paired).toEqual({ what: 'direct', decode_tok_s: 200, ttft_ms: 8, decode_ratio: 0.9, ttft_ratio: 2.2 });
  });

  it('gives another client\'s ttft as medians and its ratio per pair, combined over rounds the same way', () => {
    const figures = clientFigures('fetch', [timing(12), timing(9), timing(11)], [timing(8), timing(9), timing(10)], [1.4, 1.2, 1.3]);
    // Per run: 1.5, 1.0, 1.1 → median 1.1; ttft median 11; floor median 1.3.
    expect(figures).toEqual({ what: 'fetch', ttft_ms: 11, ttft_ratio: 1.1, floor_ttft_ms: 1.3 });
    const leg = (client: LegResult['fetch_client']): LegResult => ({
      name: 'api wasm', load_ms: 1, prefill_tok_s: 1, decode_tok_s: 1, ttft_ms: 1, cold_start_ms: 1, peak_rss_mb: 1,
      range: { decode_tok_s: [1, 1], ttft_ms: [1, 1] }, runs: 5, engine: 'wasm', threads: 1, fetch_client: client,
    });
    const [combined] = combineRounds([1.3, 1.1, 1.2].map((ratio, i) => [leg({ what: 'fetch', ttft_ms: 10 + i, ttft_ratio: ratio, floor_ttft_ms: 1 + i / 10 })]));
    expect(combined.fetch_client).toEqual({ what: 'fetch', ttft_ms: 11, ttft_ratio: 1.2, floor_ttft_ms: 1.1 });
  });
});
