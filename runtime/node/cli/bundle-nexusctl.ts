// Bundles the built CLI (tsc's dist/runtime/node/cli/nexusctl.js and everything it imports) into that file and its chunks.
//
// Node's ES module loader resolves, reads, compiles and links every file on its own: nexusctl
// imports ~410 of them (ours, zod's, hono's, commander's...), which took longer than evaluating
// them. As one file, measured on the appliance (lexicon-tiny, WASM, 8 alternating pairs):
// `serve` listening 385–447 → 225–277 ms after process start, first answer 895–1,062 → 718–847 ms,
// and `nexusctl --version` 0.29–0.31 → 0.17–0.19 s. Run by `npm run build:node` after tsc.
//
// What only some commands need (the appliance behind `serve`, the model behind a local `ask`) is
// imported dynamically and goes into chunks/ beside the entry, so that the other commands do not
// compile it at each start: they load 0.32 of the 0.85 MB.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { packageRoot } from '../package-root.js';

// The benchmark's appliance child (tests/bench/legs/api-appliance.ts) is bundled the same way, so
// its cold start is close to the shipped appliance's (it imports the appliance without the CLI's split).
const entries = ['dist/runtime/node/cli/nexusctl.js', 'dist/tests/bench/legs/api-appliance.js'];

for (const entry of entries) await bundleInPlace(join(packageRoot, entry));

async function bundleInPlace(entry: string): Promise<void> {
  const outdir = dirname(entry);
  // Chunk names carry a content hash: those of an earlier build would pile up.
  await rm(join(outdir, 'chunks'), { recursive: true, force: true });
  await build({
    entryPoints: [entry],
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    allowOverwrite: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minifyWhitespace: true,
    sourcemap: true,
    // onnxruntime-web finds its .wasm and worker files next to its own modules, and onnxruntime-node
    // is an optional native package: both are loaded from node_modules as they are.
    external: ['onnxruntime-web', 'onnxruntime-node'],
    // Bundled CommonJS packages (prom-client, cli-progress) call require() for Node's built-ins.
    banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
    logLevel: 'warning',
  });
}
