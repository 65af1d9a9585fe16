// Every nexusctl command answers --help (exit 0, with its options); unknown commands are usage errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './cli-harness.js';

beforeAll(ensureBuilt);

const commands = [
  ['ask'], ['chat'], ['serve'], ['start'], ['stop'], ['restart'], ['pause'], ['resume'], ['save'], ['status'], ['health'], ['logs'],
  ['checkpoint', 'list'], ['checkpoint', 'verify'], ['checkpoint', 'export'], ['checkpoint', 'import'],
  ['token'], ['token', 'create'], ['token', 'list'], ['token', 'revoke'], ['tls', 'init'], ['dashboard'], ['models', 'list'], ['models', 'verify'],
];

describe('nexusctl --help', () => {
  it('lists every command', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const [name] of commands) expect(result.stdout).toContain(`  ${name}`);
  });

  it.each(commands.map((words) => [words.join(' '), words]))('%s --help exits 0 and lists options', async (_name, words) => {
    const result = await runCli([...words, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: nexusctl ${words.join(' ')}`);
    expect(result.stdout).toContain('Options:');
    expect(result.stdout).toContain('--help');
  });

  it('an unknown command exits 2 with one readable error', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^nexusctl: unknown command 'frobnicate'/);
  });

  it('a group without its subcommand exits 2', async () => {
    expect((await runCli(['checkpoint'])).code).toBe(2);
  });
});
