// The built CLI is one bundled file (fast start-up), and it still finds the package's own files.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliPath, ensureBuilt, runCli } from './cli-harness.js';

beforeAll(ensureBuilt, 180_000);

describe('the built nexusctl', () => {
  it('imports no module of ours: everything but onnxruntime is bundled into it', () => {
    const source = readFileSync(cliPath, 'utf8');
    const specifiers = [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)["']([^"'\s]+)["']/g)].map((match) => match[1]);
    expect(specifiers.filter((specifier) => /^\.{1,2}\//.test(specifier))).toEqual([]);
    expect(specifiers).toContain('onnxruntime-web');
    expect(specifiers).not.toContain('zod');
    expect(specifiers).not.toContain('hono');
  });

  it('answers from the built-in model directory it finds from the bundle', async () => {
    const result = await runCli(['ask', '--json', 'What does river mean?']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('a large natural stream of water');
  });
});
