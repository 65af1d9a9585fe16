// Rounds of the same legs, combined: per leg the median of each figure, ranges over all rounds; ratios as the median of per-round ratios.
import { median, type HttpFloorFigures, type LegResult, type PairedFigures } from './leg-result.js';

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
      if (paired.length) combined[pairing] = medianPairedFigures(paired);
    }
    const floors = results.flatMap((leg) => (leg.http_floor ? [leg.http_floor] : []));
    if (floors.length) combined.http_floor = medianHttpFloorFigures(floors);
    combined.range = {
      decode_tok_s: [Math.min(...results.map((leg) => leg.range.decode_tok_s[0])), Math.max(...results.map((leg) => leg.range.decode_tok_s[1]))],
      ttft_ms: [Math.min(...results.map((leg) => leg.range.ttft_ms[0])), Math.max(...results.map((leg) => leg.range.ttft_ms[1]))],
    };
    return combined;
  });
}

function medianPairedFigures(paired: PairedFigures[]): PairedFigures {
  const of = (pick: (figures: PairedFigures) => number, scale: number) => Math.round(median(paired.map(pick)) * scale) / scale;
  return {
    what: paired[0].what,
    decode_tok_s: of((figures) => figures.decode_tok_s, 10),
    ttft_ms: of((figures) => figures.ttft_ms, 10),
    decode_ratio: of((figures) => figures.decode_ratio, 1000),
    ttft_ratio: of((figures) => figures.ttft_ratio, 1000),
  };
}

function medianHttpFloorFigures(floors: HttpFloorFigures[]): HttpFloorFigures {
  const of = (pick: (figures: HttpFloorFigures) => number, scale: number) => Math.round(median(floors.map(pick)) * scale) / scale;
  return {
    what: floors[0].what,
    ttft_ms: of((figures) => figures.ttft_ms, 10),
    api_ttft_overhead_ms: of((figures) => figures.api_ttft_overhead_ms, 10),
    ttft_ratio_beyond_floor: of((figures) => figures.ttft_ratio_beyond_floor, 1000),
  };
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
