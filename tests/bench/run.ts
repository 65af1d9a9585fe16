// `npm run bench`: every leg side by side in one run (same model, prompt, threads, tokens), a table and a JSON file.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { LegOptions, LegResult } from './leg-result.js';
import { formatBenchTable } from './format-bench-table.js';
import { benchRatios } from './bench-ratios.js';
import { combineRounds, medianRatios } from './combine-rounds.js';
import { buildBenchWorker, prebuiltBundlesVariable, type BenchWorkerKind } from './browser/build-bench-worker.js';
import { ensureBuilt } from '../node/cli/cli-harness.js';

const run = promisify(execFile);

interface BenchArgs extends LegOptions {
  quick: boolean;
  out?: string;
  only?: string[];
  /** Rounds of all selected legs, interleaved, so a burst of load on a shared machine hits every leg alike. */
  rounds: number;
}

function parseArgs(argv: string[]): BenchArgs {
  const args: BenchArgs = { dtype: 'q8', threads: 1, tokens: 64, runs: 5, warmup: 8, pairsPerRun: 3, prompt: 'What does river mean?', quick: false, rounds: 1 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    if (flag === '--quick') args.quick = true;
    else if (flag === '--out') args.out = value();
    else if (flag === '--dtype') args.dtype = value() as BenchArgs['dtype'];
    else if (flag === '--threads') args.threads = Number(value());
    else if (flag === '--tokens') args.tokens = Number(value());
    else if (flag === '--runs') args.runs = Number(value());
    else if (flag === '--only') args.only = value().split(',');
    else if (flag === '--rounds') args.rounds = Number(value());
    else if (flag === '--warmup') args.warmup = Number(value());
    else if (flag === '--help') {
      process.stdout.write('npm run bench -- [--quick] [--out FILE] [--dtype q8|q4|fp32] [--threads N] [--tokens N] [--runs N] [--warmup N] [--rounds N] [--only core-wasm,raw-wasm,...]\n');
      process.exit(0);
    } else throw new Error(`unknown option ${flag} (see --help)`);
  }
  // Eight warm-up answers (~500 tokens): V8 compiles onnxruntime-web's WASM with Liftoff first and tiers hot
// kernels up to TurboFan in the background, which takes that long; fewer would time the tier-up, not the engine.
if (args.quick) Object.assign(args, { runs: 2, warmup: 2, pairsPerRun: 1 });
  return args;
}

interface Leg {
  id: string;
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

const legs: Leg[] = [
  { id: 'core-wasm', file: 'core-leg.ts', args: ['wasm'] },
  // Run right after the one-thread leg: ORT fixes a process's thread count, so the two cannot share a process.
  { id: 'core-wasm-2t', file: 'core-leg.ts', args: ['wasm', '2t'], options: { threads: 2 }, fullOnly: true },
  { id: 'raw-wasm', file: 'raw-leg.ts', args: ['wasm'], fullOnly: true },
  { id: 'core-wasm-q4', file: 'q4-leg.ts', fullOnly: true },
  { id: 'core-native', file: 'core-leg.ts', args: ['native'] },
  { id: 'raw-native', file: 'raw-leg.ts', args: ['native'] },
  { id: 'transformers-native', file: 'transformers-leg.ts' },
  { id: 'assistant-wasm', file: 'assistant-leg.ts', fullOnly: true },
  { id: 'api-wasm', file: 'api-leg.ts', args: ['wasm'] },
  { id: 'api-native', file: 'api-leg.ts', args: ['native'] },
  // Headless Chromium, WASM: single thread on a plain page, then two threads on a cross-origin isolated one.
  { id: 'browser-core-wasm', file: 'browser-leg.ts', args: ['core'], quick: browserQuick },
  { id: 'browser-transformers-wasm', file: 'browser-leg.ts', args: ['transformers'], quick: browserQuick },
  { id: 'browser-core-wasm-2t', file: 'browser-leg.ts', args: ['core', '2'], quick: browserQuick, fullOnly: true },
  { id: 'browser-transformers-wasm-2t', file: 'browser-leg.ts', args: ['transformers', '2'], quick: browserQuick, fullOnly: true },
];

async function runLeg(leg: Leg, options: LegOptions, env: NodeJS.ProcessEnv): Promise<LegResult | { name: string; error: string }> {
  const path = fileURLToPath(new URL(`./legs/${leg.file}`, import.meta.url));
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', path, ...(leg.args ?? []), JSON.stringify(options)], { maxBuffer: 16 * 1024 * 1024, timeout: 600_000, env });
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as LegResult;
  } catch (error) {
    return { name: leg.id, error: (error as Error).message.split('\n').slice(0, 3).join(' ') };
  }
}

const args = parseArgs(process.argv.slice(2));
const options: LegOptions = { dtype: args.dtype, threads: args.threads, tokens: args.tokens, runs: args.runs, warmup: args.warmup, pairsPerRun: args.pairsPerRun, prompt: args.prompt };
const selected = legs.filter((leg) =>
  args.only ? args.only.includes(leg.id) : !(args.quick && leg.fullOnly) && !(leg.options?.threads !== undefined && leg.options.threads <= args.threads),
);
const unknown = args.only?.filter((id) => !legs.some((leg) => leg.id === id)) ?? [];
if (unknown.length) throw new Error(`unknown leg ${unknown.join(', ')}; legs: ${legs.map((leg) => leg.id).join(', ')}`);

/** Builds the browser legs' workers once for every round; where that fails each leg builds its own and reports why. */
async function prebuildBrowserWorkers(): Promise<string | undefined> {
  const kinds = [...new Set(selected.filter((leg) => leg.file === 'browser-leg.ts').map((leg) => leg.args?.[0] as BenchWorkerKind))];
  if (!kinds.length) return undefined;
  const directory = await mkdtemp(join(tmpdir(), 'nexus-browser-bench-'));
  try {
    for (const kind of kinds) await buildBenchWorker(kind, join(directory, kind));
    return directory;
  } catch (error) {
    process.stderr.write(`bench: building the browser workers failed (${(error as Error).message}); each browser leg will try alone\n`);
    await rm(directory, { recursive: true, force: true });
    return undefined;
  }
}

// The API legs run the compiled appliance (dist), as the daemon runs.
if (selected.some((leg) => leg.file === 'api-leg.ts')) await ensureBuilt();
const bundles = await prebuildBrowserWorkers();
const env = bundles ? { ...process.env, [prebuiltBundlesVariable]: bundles } : process.env;
const perRound: LegResult[][] = [];
const failed: { name: string; error: string }[] = [];
try {
  for (let round = 0; round < args.rounds; round++) {
    const measured: LegResult[] = [];
    for (const leg of selected) {
      process.stderr.write(`bench: ${args.rounds > 1 ? `round ${round + 1}/${args.rounds} ` : ''}${leg.id}…`);
      const started = performance.now();
      const result = await runLeg(leg, { ...options, ...(args.quick && leg.quick), ...leg.options }, env);
      process.stderr.write(` ${((performance.now() - started) / 1000).toFixed(1)} s${'error' in result ? ' (failed)' : ''}\n`);
      if ('error' in result) failed.push(result);
      else measured.push(result);
    }
    perRound.push(measured);
  }
} finally {
  if (bundles) await rm(bundles, { recursive: true, force: true });
}
const measured = combineRounds(perRound);
const report = {
  machine: `${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  model: 'lexicon-tiny',
  dtype: args.dtype,
  threads: args.threads,
  tokens: args.tokens,
  prompt: args.prompt,
  legs: measured,
  rounds: args.rounds,
  failed,
  ratios: medianRatios(perRound.map(benchRatios)),
  /** Each round's ratios, whose medians `ratios` holds: how far apart the rounds were. */
  ratios_by_round: perRound.map(benchRatios),
};
process.stdout.write(formatBenchTable(report));
if (args.out) await writeFile(args.out, JSON.stringify(report, null, 2) + '\n');
