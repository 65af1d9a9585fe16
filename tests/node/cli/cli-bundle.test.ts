// The built CLI is a bundle (fast start-up): an entry and its chunks, the appliance and the model in
// chunks that only the commands needing them load; it still finds the package's own files.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliPath, ensureBuilt, runCli } from './cli-harness.js';

beforeAll(ensureBuilt, 180_000);

interface Imports {
  static: string[];
  dynamic: string[];
}

/** The specifiers a bundled file imports, statically and through import(), as esbuild parses them. */
async function importsOf(file: string): Promise<Imports> {
  const found: Imports = { static: [], dynamic: [] };
  await build({
    entryPoints: [file],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
    plugins: [
      {
        name: 'record-imports',
        setup(plugin) {
          plugin.onResolve({ filter: /.*/ }, (args) => {
            if (args.kind === 'entry-point') return undefined;
            (args.kind === 'dynamic-import' ? found.dynamic : found.static).push(args.path);
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  return found;
}

/** Every bundle file reachable from the entry: through static imports only, or through any. */
async function reachable(entry: string, withDynamic: boolean): Promise<string[]> {
  const seen = new Set<string>([entry]);
  for (const file of seen) {
    const { static: direct, dynamic } = await importsOf(file);
    for (const specifier of withDynamic ? [...direct, ...dynamic] : direct) {
      if (specifier.startsWith('.')) seen.add(join(dirname(file), specifier));
    }
  }
  return [...seen];
}

/** The source files bundled into `files`, from their source maps. */
function bundledSources(files: string[]): string[] {
  return files.flatMap((file) => (JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }).sources);
}

/** The packages whose code the files hold. */
function bundledPackages(files: string[]): Set<string> {
  return new Set(bundledSources(files).flatMap((source) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source)?.[1] ?? []));
}

describe('the built nexusctl', () => {
  it('imports nothing from node_modules but onnxruntime: every other package is bundled', async () => {
    const specifiers: string[] = [];
    for (const file of await reachable(cliPath, true)) {
      const imports = await importsOf(file);
      specifiers.push(...imports.static, ...imports.dynamic);
    }
    const packages = specifiers.filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:'));
    expect(new Set(packages)).toEqual(new Set(['onnxruntime-web', 'onnxruntime-node']));
  });

  it('loads the appliance and the model only for the commands that use them', async () => {
    const atStart = bundledPackages(await reachable(cliPath, false));
    const inAll = bundledPackages(await reachable(cliPath, true));
    expect(atStart).toContain('commander');
    for (const deferred of ['hono', '@hono/node-server', 'prom-client', '@huggingface/tokenizers', '@huggingface/jinja']) {
      expect(inAll).toContain(deferred);
      expect(atStart).not.toContain(deferred);
    }
  });

  // `import { z } from 'zod'` takes zod's namespace whole, with its 63 locales (0.31 MB of 1.31 MB): `import * as z` lets them go.
  it("carries zod's English messages only", async () => {
    const locales = bundledSources(await reachable(cliPath, true)).filter((source) => source.includes('zod/v4/locales/'));
    expect(locales.map((source) => source.replace(/.*\/locales\//, ''))).toEqual(['en.js']);
  });

  it('answers from the built-in model directory it finds from the bundle', async () => {
    const result = await runCli(['ask', '--json', 'What does river mean?']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('a large natural stream of water');
  });
});
