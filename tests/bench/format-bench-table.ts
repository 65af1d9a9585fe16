// A readable table of the benchmark report.
import type { LegResult } from './leg-result.js';

interface Report {
  machine: string;
  model: string;
  dtype: string;
  threads: number;
  tokens: number;
  legs: LegResult[];
  failed: { name: string; error: string }[];
  ratios: Record<string, number | null>;
  ratios_by_round?: Record<string, number | null>[];
}

/** ", rounds 0.95 / 1.00 / 1.05" when there was more than one round and the ratio was measured. */
function roundsOf(report: Report, name: string): string {
  const values = (report.ratios_by_round ?? []).map((ratios) => ratios[name]).filter((value): value is number => value !== null && value !== undefined);
  return values.length > 1 ? ` (rounds ${values.map((value) => value.toFixed(3)).join(' / ')})` : '';
}

export function formatBenchTable(report: Report): string {
  const header = ['leg', 'load ms', 'prefill tok/s', 'decode tok/s (min–max)', 'ttft ms', 'cold start ms', 'peak RSS MB'];
  const rows = report.legs.map((leg) => [
    leg.name,
    String(leg.load_ms),
    String(leg.prefill_tok_s),
    `${leg.decode_tok_s} (${leg.range.decode_tok_s.join('–')})`,
    String(leg.ttft_ms),
    String(leg.cold_start_ms),
    String(leg.peak_rss_mb),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  const out = [
    `${report.model} ${report.dtype}, ${report.threads} thread(s), ${report.tokens} new tokens, greedy — ${report.machine}`,
    line(header),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...rows.map(line),
    '',
    report.ratios_by_round && report.ratios_by_round.length > 1 ? 'ratios (same run; median of the rounds):' : 'ratios (same run):',
    ...Object.entries(report.ratios).map(([name, value]) => `  ${name}: ${value ?? 'n/a'}${roundsOf(report, name)}`),
    ...report.legs.filter((leg) => leg.note).map((leg) => `note (${leg.name}): ${leg.note}`),
    ...report.legs.flatMap((leg) => [leg.paired, leg.paired_same_graph].filter((paired) => paired !== undefined).map((paired) => `paired (${leg.name}): ${paired.what}: decode ${paired.decode_tok_s} tok/s, ttft ${paired.ttft_ms} ms; median per-pair ratio decode ${paired.decode_ratio}, ttft ${paired.ttft_ratio}`)),
    ...report.legs.flatMap((leg) => (leg.http_floor ? [`http floor (${leg.name}): ${leg.http_floor.what}: ttft ${leg.http_floor.ttft_ms} ms; the API's ttft over the paired run's ${leg.http_floor.api_ttft_overhead_ms} ms; ratio beyond the floor ${leg.http_floor.ttft_ratio_beyond_floor}`] : [])),
    ...report.legs.flatMap((leg) => (leg.fetch_client ? [`fetch client (${leg.name}): ${leg.fetch_client.what}: ttft ${leg.fetch_client.ttft_ms} ms, ratio to the paired run ${leg.fetch_client.ttft_ratio}; floor ${leg.fetch_client.floor_ttft_ms} ms`] : [])),
    ...report.failed.map((failure) => `FAILED ${failure.name}: ${failure.error}`),
  ];
  return out.join('\n') + '\n';
}
