// The bench's command line: defaults, --quick, and an error naming the option for every bad value.
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../bench/bench-args.js';
import { benchLegs } from '../../bench/bench-legs.js';

function parse(...argv: string[]) {
  let out = '';
  let err = '';
  try {
    return { args: parseBenchArgs(argv, { writeOut: (text) => (out += text), writeErr: (text) => (err += text) }), out, err };
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    return { exitCode: error.exitCode, out, err };
  }
}

describe('npm run bench arguments', () => {
  it('defaults to q8, 1 thread, 64 tokens, 8 warm-ups, 5 runs of 3 pairs, one round, every leg', () => {
    expect(parse().args).toEqual({ dtype: 'q8', threads: 1, tokens: 64, runs: 5, warmup: 8, pairsPerRun: 3, prompt: 'What does river mean?', quick: false, rounds: 1 });
  });

  it('takes every option, and --quick cuts runs, warm-ups and pairs', () => {
    const { args } = parse('--dtype', 'q4', '--threads', '2', '--tokens', '128', '--rounds', '3', '--only', 'core-wasm,api-native', '--out', 'b.json', '--warmup', '0');
    expect(args).toMatchObject({ dtype: 'q4', threads: 2, tokens: 128, rounds: 3, only: ['core-wasm', 'api-native'], out: 'b.json', warmup: 0 });
    expect(parse('--quick').args).toMatchObject({ quick: true, runs: 2, warmup: 2, pairsPerRun: 1 });
  });

  it.each([
    [['--rounds', 'x'], /--rounds.*expected an integer ≥ 1, got "x"/],
    [['--threads', '0'], /--threads.*expected an integer ≥ 1, got "0"/],
    [['--tokens', '1.5'], /--tokens.*expected an integer ≥ 1/],
    [['--warmup', '-1'], /--warmup.*expected an integer ≥ 0/],
    [['--dtype', 'q5'], /--dtype.*q8, q4, fp32/],
    [['--only', 'core-wasm,nope'], /unknown leg nope; legs: core-wasm, /],
    [['--only', ','], /no leg named/],
    [['--bogus'], /unknown option '--bogus'/],
    [['--out'], /--out <file>' argument missing/],
  ])('%j is refused with a message naming the option', (argv, message) => {
    const { exitCode, err } = parse(...argv);
    expect(exitCode).toBe(1);
    expect(err).toMatch(/^bench: /);
    expect(err).toMatch(message);
  });

  it('--help lists every leg and says which --quick leaves out', () => {
    const { exitCode, out } = parse('--help');
    expect(exitCode).toBe(0);
    for (const leg of benchLegs) expect(out).toContain(`  ${leg.id} `);
    expect(out).toMatch(/core-wasm-2t +.*\(not in --quick\)/);
    expect(out).not.toMatch(/core-native +.*\(not in --quick\)/);
  });
});
