// nexusctl ask, run as the built CLI against the built-in model: answers, JSON, abstention, seeds, errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { nativeEngineAvailable } from '../../../runtime/node/ort-native-engine.js';
import { ensureBuilt, runCli } from './cli-harness.js';

const nativeInstalled = await nativeEngineAvailable();

beforeAll(ensureBuilt);

describe('nexusctl ask', { timeout: 120_000 }, () => {
  it('streams the definition of a known word and a dim footer on stderr', async () => {
    const result = await runCli(['ask', 'What does river mean?']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('a large natural stream of water');
    expect(result.stderr).toMatch(/confidence \d\.\d\d · answered · model · \d+ tok/);
    expect(result.stderr).not.toContain('cut off');
  });

  it('says an answer cut off by --max-tokens is cut off, in the footer and as finishReason in --json', async () => {
    const cut = await runCli(['ask', '--max-tokens', '3', 'What does river mean?']);
    expect(cut.code).toBe(0);
    expect(cut.stderr).toMatch(/· 3 tok · cut off at the token limit \(--max-tokens\)/);
    const json = JSON.parse((await runCli(['ask', '--json', '--max-tokens', '3', 'What does river mean?'])).stdout) as { finishReason: string };
    expect(json.finishReason).toBe('length');
  });

  it('--json prints exactly one JSON object with the answer fields', async () => {
    const result = await runCli(['ask', '--json', 'What does river mean?']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const answer = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(Object.keys(answer).sort()).toEqual(['confidence', 'decision', 'finishReason', 'source', 'text', 'timings', 'usage']);
    expect(answer).toMatchObject({ decision: 'answered', source: 'model', finishReason: 'eos' });
    expect(answer.text).toContain('a large natural stream of water');
  });

  it('abstains on a made-up word', async () => {
    const result = await runCli(['ask', '--json', 'What does blorfenzik mean?']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ decision: 'abstained' });
  });

  it('same --seed at temperature 1 gives the same text; other seeds differ', async () => {
    const ask = async (seed: number) => {
      const result = await runCli(['ask', '--json', '--no-gate', '--temperature', '1', '--max-tokens', '12', '--seed', String(seed), 'What does glorp mean?']);
      expect(result.code).toBe(0);
      return (JSON.parse(result.stdout) as { text: string }).text;
    };
    const [first, again, ...others] = await Promise.all([ask(1), ask(1), ask(2), ask(3), ask(4)]);
    expect(again).toBe(first);
    expect(others.some((text) => text !== first)).toBe(true);
  });

  it('--dtype q4 answers too', async () => {
    const result = await runCli(['ask', '--dtype', 'q4', 'What does river mean?']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('stream of water');
  });

  it.runIf(nativeInstalled)('--backend native answers on onnxruntime-node, token for token like wasm', async () => {
    const [native, wasm] = await Promise.all(['native', 'wasm'].map((backend) => runCli(['ask', '--json', '--backend', backend, 'What does river mean?'])));
    expect(native.code).toBe(0);
    expect(JSON.parse(native.stdout).text).toBe(JSON.parse(wasm.stdout).text);
  });

  it('an unknown --backend is refused, naming the choices', async () => {
    const result = await runCli(['ask', '--backend', 'cuda', 'What does river mean?']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/--backend.*cuda.*wasm, native, auto/s);
  });

  it('a missing model exits 6 with one readable line', async () => {
    const result = await runCli(['ask', '--model', '/nonexistent', 'What does river mean?']);
    expect(result.code).toBe(6);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^nexusctl: model file not found: \/nonexistent/);
    expect(result.stderr).not.toContain('    at ');
  });

  it('an empty prompt exits 5', async () => {
    const result = await runCli(['ask', '   ']);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/^nexusctl: the prompt is empty/);
  });

  it('a bad option value is a usage error (exit 2)', async () => {
    const result = await runCli(['ask', '--dtype', 'q3', 'hi']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^nexusctl: option '--dtype/);
  });
});
