// The measurement protocol shared by benchmark legs: run timings, medians, and the one-line JSON a leg prints.
import { processPeakRssMb } from './process-peak-rss.js';

export interface RunTiming {
  ttftMs: number;
  prefillMs: number;
  decodeMs: number;
  promptTokens: number;
  newTokens: number;
}

export interface LegResult {
  name: string;
  load_ms: number;
  prefill_tok_s: number;
  decode_tok_s: number;
  ttft_ms: number;
  cold_start_ms: number;
  peak_rss_mb: number;
  /** min–max over the measured runs, for the table. */
  range: { decode_tok_s: [number, number]; ttft_ms: [number, number] };
  runs: number;
  engine: string;
  threads: number;
  note?: string;
  /** The same work without the layer this leg adds, measured interleaved with it in the same process. */
  paired?: PairedFigures;
  /** The core legs: the raw loop on the graph the core prepares, isolating the core's own loop. */
  paired_same_graph?: PairedFigures;
  /** The API legs: a bare HTTP exchange with the same client, interleaved with the paired runs. */
  http_floor?: HttpFloorFigures;
  /** The API legs: the same requests and floor with fetch (undici) in place of node:http, interleaved with them. */
  fetch_client?: ClientFigures;
}

/** The API's time to first token with another HTTP client (see LegResult.fetch_client); medians over the runs. */
export interface ClientFigures {
  what: string;
  ttft_ms: number;
  /** Per run: this client's API time to first token ÷ the paired run's without HTTP. */
  ttft_ratio: number;
  /** This client's time to the bare server's first chunk. */
  floor_ttft_ms: number;
}

/** What HTTP itself costs beside the API's time to first token (see LegResult.http_floor); medians over the runs. */
export interface HttpFloorFigures {
  what: string;
  /** Time to the bare server's first chunk. */
  ttft_ms: number;
  /** Per run: the API's time to first token minus the paired run's without HTTP. */
  api_ttft_overhead_ms: number;
  /** Per run: (the API's time to first token − the floor's) ÷ the paired run's: what the appliance adds over a bare exchange. */
  ttft_ratio_beyond_floor: number;
}

/** Medians of the paired runs (see LegResult.paired). */
export interface PairedFigures {
  what: string;
  decode_tok_s: number;
  ttft_ms: number;
  /** Median over the pairs of (this leg's run ÷ its paired run): robust to load that changes between pairs. */
  decode_ratio: number;
  ttft_ratio: number;
}

export interface LegOptions {
  dtype: 'q4' | 'q8' | 'fp32';
  threads: number;
  tokens: number;
  runs: number;
  warmup: number;
  /** Legs that pair their work with a baseline in the same process run this many pairs per measured run. */
  pairsPerRun: number;
  prompt: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function parseLegOptions(argv: string[]): LegOptions {
  const json = argv.find((arg) => arg.startsWith('{'));
  if (!json) throw new Error('a leg takes its options as one JSON argument');
  return JSON.parse(json) as LegOptions;
}

/**
 * This process's peak RSS in MB (processPeakRssMb; getrusage's maxRSS only where /proc is missing,
 * as it counts the parent's peak too: every leg had reported the bench runner's).
 */
export function peakRssMb(): number {
  return processPeakRssMb() ?? process.resourceUsage().maxRSS / 1024;
}

/** Milliseconds since this process started (cold start is measured to the first token). */
export function sinceProcessStart(): number {
  return performance.now();
}

/** Tokens a second after the first: the first token's time is the ttft. */
function decodeRate(t: RunTiming): number {
  return ((t.newTokens - 1) * 1000) / t.decodeMs;
}

/** The paired runs' medians and the median per-pair ratios; `timings[i]` and `baseline[i]` ran back to back. */
export function pairedFigures(what: string, timings: RunTiming[], baseline: RunTiming[]): PairedFigures {
  const ratio = (values: number[]) => Math.round(median(values) * 1000) / 1000;
  return {
    what,
    ...runMedians(baseline),
    decode_ratio: ratio(timings.map((t, i) => decodeRate(t) / decodeRate(baseline[i]))),
    ttft_ratio: ratio(timings.map((t, i) => t.ttftMs / baseline[i].ttftMs)),
  };
}

/** The floor's figures; `api[i]`, `direct[i]` and `floorTtfts[i]` ran back to back. */
export function httpFloorFigures(what: string, api: RunTiming[], direct: RunTiming[], floorTtfts: number[]): HttpFloorFigures {
  return {
    what,
    ttft_ms: round(median(floorTtfts)),
    api_ttft_overhead_ms: round(median(api.map((t, i) => t.ttftMs - direct[i].ttftMs))),
    ttft_ratio_beyond_floor: Math.round(median(api.map((t, i) => (t.ttftMs - floorTtfts[i]) / direct[i].ttftMs)) * 1000) / 1000,
  };
}

/** The figures for the API's requests with another client; `api[i]`, `direct[i]` and `floorTtfts[i]` ran back to back. */
export function clientFigures(what: string, api: RunTiming[], direct: RunTiming[], floorTtfts: number[]): ClientFigures {
  return {
    what,
    ttft_ms: round(median(api.map((t) => t.ttftMs))),
    ttft_ratio: Math.round(median(api.map((t, i) => t.ttftMs / direct[i].ttftMs)) * 1000) / 1000,
    floor_ttft_ms: round(median(floorTtfts)),
  };
}

/** Median decode tok/s and time to first token of a set of runs, as reportLeg computes them. */
function runMedians(timings: RunTiming[]): { decode_tok_s: number; ttft_ms: number } {
  return { decode_tok_s: round(median(timings.map(decodeRate))), ttft_ms: round(median(timings.map((t) => t.ttftMs))) };
}

/** Summarizes measured runs into the leg's figures and prints them as one JSON line. */
export function reportLeg(name: string, options: LegOptions, loadMs: number, coldStartMs: number, timings: RunTiming[], engine: string, note?: string, override: Partial<LegResult> = {}): void {
  const decode = timings.map(decodeRate);
  const ttft = timings.map((t) => t.ttftMs);
  const result: LegResult = {
    name,
    load_ms: round(loadMs),
    prefill_tok_s: round(median(timings.map((t) => (t.promptTokens * 1000) / t.prefillMs))),
    ...runMedians(timings),
    cold_start_ms: round(coldStartMs),
    peak_rss_mb: round(peakRssMb()),
    range: { decode_tok_s: [round(Math.min(...decode)), round(Math.max(...decode))], ttft_ms: [round(Math.min(...ttft)), round(Math.max(...ttft))] },
    runs: timings.length,
    engine,
    threads: options.threads,
    note,
    ...override,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
