// Rounds of the same legs, combined: per leg the median of each figure, ranges over all rounds; ratios as the median of per-round ratios.
import { median, type ClientFigures, type HttpFloorFigures, type LegResult, type PairedFigures } from './leg-result.js';

const figures = ['load_ms', 'prefill_tok_s', 'decode_tok_s', 'ttft_ms', 'cold_start_ms', 'peak_rss_mb'] as const;

/** One LegResult per leg name: medians over the rounds, min–max over every measured run. */
export function combineRounds(rounds: LegResult[][]): LegResult[] {
  const names = [...new Set(rounds.flat().map((leg) => leg.name))];
  return names.map((name) => {
    const results = rounds.flat().filter((leg) => leg.name === name);
    const combined: LegResult = { ...results[0], runs: results.reduce((sum, leg) => sum + leg.runs, 0) };
    for (const figure of figures) combined[figure] = Math.round(median(results.map((leg) => leg[figure])) * 10) / 10;
    for (const pairing of ['paired', 'paired_same_graph'] as const) {
      const paired = results.flatMap((leg) => (leg[pairing] ? [leg[pairing]] : []));
      if (paired.length) combined[pairing] = medianFigures<PairedFigures>(paired, { decode_tok_s: 10, ttft_ms: 10, decode_ratio: 1000, ttft_ratio: 1000 });
    }
    const floors = results.flatMap((leg) => (leg.http_floor ? [leg.http_floor] : []));
    if (floors.length) combined.http_floor = medianFigures<HttpFloorFigures>(floors, { ttft_ms: 10, api_ttft_overhead_ms: 10, ttft_ratio_beyond_floor: 1000 });
    const clients = results.flatMap((leg) => (leg.fetch_client ? [leg.fetch_client] : []));
    if (clients.length) combined.fetch_client = medianFigures<ClientFigures>(clients, { ttft_ms: 10, ttft_ratio: 1000, floor_ttft_ms: 10 });
    combined.range = {
      decode_tok_s: [Math.min(...results.map((leg) => leg.range.decode_tok_s[0])), Math.max(...results.map((leg) => leg.range.decode_tok_s[1]))],
      ttft_ms: [Math.min(...results.map((leg) => leg.range.ttft_ms[0])), Math.max(...results.map((leg) => leg.range.ttft_ms[1]))],
    };
    return combined;
  });
}

/** Each figure's median over the rounds, rounded to 1/scale; `what` is the first round's. */
function medianFigures<T extends { what: string }>(rounds: T[], scales: { [K in Exclude<keyof T, 'what'>]: number }): T {
  const combined: Record<string, unknown> = { what: rounds[0].what };
  for (const [key, scale] of Object.entries(scales) as [Exclude<keyof T, 'what'> & string, number][]) {
    combined[key] = Math.round(median(rounds.map((figures) => Number(figures[key]))) * scale) / scale;
  }
  return combined as T;
}

/** Each ratio's median over the rounds: a pair measured minutes apart on a shared machine would mislead. */
export function medianRatios<K extends string>(perRound: Record<K, number | null>[]): Record<K, number | null> {
  const out = {} as Record<K, number | null>;
  for (const key of Object.keys(perRound[0] ?? {}) as K[]) {
    const values = perRound.map((ratios) => ratios[key]).filter((value): value is number => value !== null);
    out[key] = values.length ? Math.round(median(values) * 1000) / 1000 : null;
  }
  return out;
}
