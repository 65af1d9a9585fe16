// nexusctl chat --local with piped input: streams answers with confidence, /teach teaches, EOF exits 0.
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './cli-harness.js';

beforeAll(ensureBuilt);

describe('nexusctl chat --local', { timeout: 120_000 }, () => {
  it('answers each line, teaches the last question, and exits on end of input', async () => {
    const input = 'What does river mean?\nWhat does blorfenzik mean?\n/teach a made-up test word\nWhat does blorfenzik mean?\n';
    const result = await runCli(['chat', '--local'], { input });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('a large natural stream of water');
    expect(result.stdout).toMatch(/confidence \d\.\d\d · answered · model/);
    expect(result.stdout).toMatch(/abstained/);
    expect(result.stdout).toContain('learned: What does blorfenzik mean? → a made-up test word');
    expect(result.stdout).toMatch(/a made-up test word\n.*answered · memory/);
  });

  it('exits 3 when no appliance answers', async () => {
    const result = await runCli(['chat', '--url', 'http://127.0.0.1:9'], { input: 'hi\n' });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^nexusctl: cannot reach the appliance at http:\/\/127\.0\.0\.1:9/);
  });
});
