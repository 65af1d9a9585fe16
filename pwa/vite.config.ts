// Vite build of the PWA: app shell, module inference worker, staged ORT WASM and model, Workbox service worker.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { stageAssets } from './build/stage-assets.ts';
import { workboxServiceWorker } from './build/workbox-service-worker.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const ortDist = fileURLToPath(new URL('../node_modules/onnxruntime-web/dist/', import.meta.url));

export default defineConfig({
  root,
  base: './',
  publicDir: 'public',
  logLevel: 'warn',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2048 },
  worker: { format: 'es' },
  resolve: {
    // The non-bundled ORT builds load their WASM glue (.mjs) and binary (.wasm) from ort.env.wasm.wasmPaths,
    // which points at the staged copies in dist/ort/: the pthread workers then run the staged glue, never a CDN.
    alias: [
      { find: /^onnxruntime-web\/wasm$/, replacement: `${ortDist}ort.wasm.min.mjs` },
      { find: /^onnxruntime-web\/webgpu$/, replacement: `${ortDist}ort.min.mjs` },
    ],
  },
  plugins: [stageAssets(), workboxServiceWorker()],
});
