// Builds one browser bench worker (core or transformers.js) with Vite into a directory the bench server serves.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export type BenchWorkerKind = 'core' | 'transformers';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

/** The onnxruntime-web dist/ the core uses (the PWA stages the same files). */
export const coreOrtDirectory = join(repo, 'node_modules/onnxruntime-web/dist');

/** The onnxruntime-web dist/ transformers.js resolves (its own pinned version, nested under it when it differs). */
export const transformersOrtDirectory = dirname(createRequire(join(repo, 'node_modules/@huggingface/transformers/')).resolve('onnxruntime-web'));

/** Environment variable naming a directory with `core/` and `transformers/` already built (run.ts builds once per bench). */
export const prebuiltBundlesVariable = 'NEXUS_BENCH_BROWSER_BUNDLES';

/** Bundles `<kind>-bench-worker.ts` as an ES module worker `<kind>-bench-worker.js` (plus chunks) into `outDir`. */
export async function buildBenchWorker(kind: BenchWorkerKind, outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: repo,
    logLevel: 'error',
    publicDir: false,
    // The core gets the PWA's aliases: ORT builds that load their WASM glue and binary from wasmPaths (the
    // staged copies), so pthread workers run those files. transformers.js keeps its own resolution.
    resolve:
      kind === 'core'
        ? {
            alias: [
              { find: /^onnxruntime-web\/wasm$/, replacement: join(coreOrtDirectory, 'ort.wasm.min.mjs') },
              { find: /^onnxruntime-web\/webgpu$/, replacement: join(coreOrtDirectory, 'ort.min.mjs') },
            ],
          }
        : {},
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      minify: false,
      copyPublicDir: false,
      modulePreload: false,
      reportCompressedSize: false,
      chunkSizeWarningLimit: 1 << 20,
      rolldownOptions: {
        input: { [`${kind}-bench-worker`]: fileURLToPath(new URL(`./${kind}-bench-worker.ts`, import.meta.url)) },
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  });
}
