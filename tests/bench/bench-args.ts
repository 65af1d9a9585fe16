// The `npm run bench` command line: options with defaults, checked values, and --help that lists the legs.
import { Command, InvalidArgumentError, Option } from 'commander';
import { benchLegs } from './bench-legs.js';
import type { LegOptions } from './leg-result.js';

export interface BenchArgs extends LegOptions {
  quick: boolean;
  out?: string;
  only?: string[];
  /** Rounds of all selected legs, interleaved, so a burst of load on a shared machine hits every leg alike. */
  rounds: number;
}

/** Where commander writes help and errors (the process's streams unless a test captures them). */
export interface BenchArgsOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

const defaults: BenchArgs = { dtype: 'q8', threads: 1, tokens: 64, runs: 5, warmup: 8, pairsPerRun: 3, prompt: 'What does river mean?', quick: false, rounds: 1 };

function atLeast(minimum: number) {
  return (value: string): number => {
    const number = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!(number >= minimum)) throw new InvalidArgumentError(`expected an integer ≥ ${minimum}, got "${value}"`);
    return number;
  };
}

function legIds(value: string): string[] {
  const ids = value.split(',').map((id) => id.trim()).filter(Boolean);
  const unknown = ids.filter((id) => !benchLegs.some((leg) => leg.id === id));
  if (ids.length === 0 || unknown.length) throw new InvalidArgumentError(`${unknown.length ? `unknown leg ${unknown.join(', ')}` : 'no leg named'}; legs: ${benchLegs.map((leg) => leg.id).join(', ')}`);
  return ids;
}

function legList(): string {
  const width = Math.max(...benchLegs.map((leg) => leg.id.length));
  return benchLegs.map((leg) => `  ${leg.id.padEnd(width)}  ${leg.what}${leg.fullOnly ? ' (not in --quick)' : ''}`).join('\n');
}

/**
 * Parses the bench's arguments (without `node` and the script). Throws commander's CommanderError
 * after writing help (exit code 0) or the error naming the option (exit code 1).
 */
export function parseBenchArgs(argv: readonly string[], output?: BenchArgsOutput): BenchArgs {
  const program = new Command('npm run bench --')
    .description('Every leg side by side in one run: the same model (lexicon-tiny), prompt, threads, tokens and greedy sampling; a table on stdout, a JSON report with --out.')
    .option('--quick', 'a smoke run in under a minute: 2 warm-ups + 2 runs, the headline legs only; do not quote its figures')
    .option('--out <file>', 'also write the JSON report to FILE')
    .addOption(new Option('--dtype <dtype>', 'model variant').choices(['q8', 'q4', 'fp32']).default(defaults.dtype))
    .option('--threads <n>', 'inference threads', atLeast(1), defaults.threads)
    .option('--tokens <n>', 'new tokens per answer', atLeast(1), defaults.tokens)
    .option('--runs <n>', 'measured answers per leg', atLeast(1), defaults.runs)
    .option('--warmup <n>', 'answers before measuring (WASM kernels tier up during the first ~8)', atLeast(0), defaults.warmup)
    .option('--rounds <n>', 'run every selected leg N times, interleaved; medians over the rounds', atLeast(1), defaults.rounds)
    .option('--only <legs>', 'comma-separated legs to run', legIds)
    .addHelpText('after', `\nLegs:\n${legList()}\n\nOn a shared machine use --rounds 3: ratios are taken pair by pair inside a leg, then the median over rounds.`)
    .exitOverride()
    .configureOutput({
      ...(output && { writeOut: output.writeOut, writeErr: output.writeErr }),
      outputError: (text, write) => write(`bench: ${text.replace(/^error: /, '')}`),
    });
  program.parse([...argv], { from: 'user' });
  const options = program.opts<Omit<BenchArgs, 'pairsPerRun' | 'prompt' | 'quick'> & { quick?: boolean }>();
  const args: BenchArgs = { ...defaults, ...options, quick: options.quick ?? false };
  // Eight warm-up answers (~500 tokens): V8 compiles onnxruntime-web's WASM with Liftoff first and tiers hot
  // kernels up to TurboFan in the background, which takes that long; fewer would time the tier-up, not the engine.
  if (args.quick) Object.assign(args, { runs: 2, warmup: 2, pairsPerRun: 1 });
  return args;
}
