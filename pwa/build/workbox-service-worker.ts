// Vite plugin: generates the Workbox service worker (precached app shell and ORT WASM) after the bundle is written.
import { resolve } from 'node:path';
import { generateSW } from 'workbox-build';
import type { Plugin } from 'vite';

/** The largest precached file: the WebGPU (JSEP) WASM binary is about 28 MB. */
const MAX_PRECACHE_BYTES = 40 * 1024 * 1024;

/**
 * Writes dist/sw.js. Model files are left out of the precache: the worker caches them on first use
 * with download progress. skipWaiting stays off so a new version waits for the "Reload to update" prompt.
 */
export function workboxServiceWorker(): Plugin {
  let outDir = '';
  return {
    name: 'nexus-workbox-service-worker',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const { warnings } = await generateSW({
        globDirectory: outDir,
        globPatterns: ['**/*.{html,js,mjs,css,wasm,webmanifest,png,json}'],
        // The WebGPU (JSEP) build is 28 MB and only some devices use it: cached on first use instead.
        globIgnores: ['models/lexicon-tiny/**', 'sw.js', 'ort/*.jsep.*'],
        runtimeCaching: [{ urlPattern: /\/ort\/[^/]+\.jsep\.(?:mjs|wasm)$/, handler: 'CacheFirst', options: { cacheName: 'nexus-ort-webgpu' } }],
        swDest: `${outDir}/sw.js`,
        maximumFileSizeToCacheInBytes: MAX_PRECACHE_BYTES,
        dontCacheBustURLsMatching: /assets\/.+-[\w-]{8}\./,
        navigateFallback: 'index.html',
        // Only the app's own page (any query string): under another path the shell's relative asset URLs would
        // miss the precache, so offline a deep link like /chat/42 gets the browser's offline page, as online it gets a 404.
        // The regex cannot tell /chat/ from the app's directory: sw-app-pages.js, imported first, does, at run time.
        navigateFallbackAllowlist: [/\/(?:index\.html)?(?:\?.*)?$/],
        importScripts: ['sw-app-pages.js'],
        clientsClaim: true,
        skipWaiting: false,
        inlineWorkboxRuntime: true,
        mode: 'production',
        sourcemap: false,
      });
      for (const warning of warnings) this.warn(warning);
    },
  };
}
