// Messages for bad option values and chat's /commands: each names what was wrong and what to do.
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './cli-harness.js';

beforeAll(ensureBuilt);

describe('nexusctl option values', () => {
  it('ask --max-tokens 0 and -5 get the same message', async () => {
    const zero = await runCli(['ask', '--max-tokens', '0', 'hi']);
    const negative = await runCli(['ask', '--max-tokens', '-5', 'hi']);
    expect(zero.code).toBe(2);
    expect(negative.code).toBe(2);
    expect(zero.stderr.trim()).toBe(`nexusctl: option '--max-tokens <n>' argument '0' is invalid. expected an integer ≥ 1, got "0"`);
    expect(negative.stderr.trim()).toBe(zero.stderr.trim().replaceAll('0', '-5'));
  });

  it('a --url that is not a URL is named with its value', async () => {
    for (const args of [['ask', '--url', 'notaurl', 'hi'], ['status', '--url', 'notaurl'], ['pause', '--admin-url', 'ftp://x']]) {
      const result = await runCli(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^nexusctl: option '--(admin-)?url <url>' argument '(notaurl|ftp:\/\/x)' is invalid\. expected an http:\/\/ or https:\/\/ URL/);
    }
  });
});

describe('nexusctl chat /commands', { timeout: 120_000 }, () => {
  it('/help lists the commands; an unknown /command is refused, not asked', async () => {
    const result = await runCli(['chat', '--local'], { input: '/help\n/bogus\n/teach\n' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\/teach ANSWER +teach ANSWER as the answer to the last question/);
    expect(result.stdout).toMatch(/\/help +show this list/);
    expect(result.stdout).toContain('unknown command /bogus; /help lists the commands');
    expect(result.stdout).toContain('usage: /teach ANSWER, after asking a question');
    // Nothing went to the model.
    expect(result.stdout).not.toMatch(/confidence/);
  });
});
