// `npm run bench`: every leg side by side in one run (same model, prompt, threads, tokens), a table and a JSON file.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import type { LegOptions, LegResult } from './leg-result.js';
import { parseBenchArgs, type BenchArgs } from './bench-args.js';
import { benchLegs, type BenchLeg } from './bench-legs.js';
import { formatBenchTable } from './format-bench-table.js';
import { benchRatios } from './bench-ratios.js';
import { combineRounds, medianRatios } from './combine-rounds.js';
import { buildBenchWorker, prebuiltBundlesVariable, type BenchWorkerKind } from './browser/build-bench-worker.js';
import { ensureBuilt } from '../node/cli/cli-harness.js';

const run = promisify(execFile);

async function runLeg(leg: BenchLeg, options: LegOptions, env: NodeJS.ProcessEnv): Promise<LegResult | { name: string; error: string }> {
  const path = fileURLToPath(new URL(`./legs/${leg.file}`, import.meta.url));
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', path, ...(leg.args ?? []), JSON.stringify(options)], { maxBuffer: 16 * 1024 * 1024, timeout: 600_000, env });
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as LegResult;
  } catch (error) {
    return { name: leg.id, error: (error as Error).message.split('\n').slice(0, 3).join(' ') };
  }
}

let args: BenchArgs;
try {
  args = parseBenchArgs(process.argv.slice(2));
} catch (error) {
  // Commander has written the help or the error naming the option.
  process.exit(error instanceof CommanderError && error.exitCode === 0 ? 0 : 2);
}
const options: LegOptions = { dtype: args.dtype, threads: args.threads, tokens: args.tokens, runs: args.runs, warmup: args.warmup, pairsPerRun: args.pairsPerRun, prompt: args.prompt };
const selected = benchLegs.filter((leg) =>
  args.only ? args.only.includes(leg.id) : !(args.quick && leg.fullOnly) && !(leg.options?.threads !== undefined && leg.options.threads <= args.threads),
);

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
