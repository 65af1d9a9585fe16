// Bundles the built CLI (tsc's dist/runtime/node/cli/nexusctl.js and everything it imports) into that one file.
//
// Node's ES module loader resolves, reads, compiles and links every file on its own: nexusctl
// imports ~410 of them (ours, zod's, hono's, commander's...), which took longer than evaluating
// them. As one file, measured on the appliance (lexicon-tiny, WASM, 8 alternating pairs):
// `serve` listening 385–447 → 225–277 ms after process start, first answer 895–1,062 → 718–847 ms,
// and `nexusctl --version` 0.29–0.31 → 0.17–0.19 s. Run by `npm run build:node` after tsc.
import { build } from 'esbuild';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';

// The benchmark's appliance child (tests/bench/legs/api-appliance.ts) is bundled the same way, so
// its cold start is the shipped appliance's.
const entries = ['dist/runtime/node/cli/nexusctl.js', 'dist/tests/bench/legs/api-appliance.js'];

for (const entry of entries) await bundleInPlace(join(packageRoot, entry));

async function bundleInPlace(entry: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile: entry,
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
