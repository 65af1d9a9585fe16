// The onnxruntime-web WASM engine in Node, with its WASM binaries loaded from the installed package.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ort from 'onnxruntime-web';
import type { OrtEngine, OrtModule } from '../core/platform/ort-engine.js';
import { raiseWasmTieringBudget } from './wasm-tiering-budget.js';

const require = createRequire(import.meta.url);

/** Directory of onnxruntime-web's WASM files (never a CDN). */
export function ortWasmDirectory(): string {
  return dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
}

/**
 * onnxruntime-web fixes its WASM settings at the first session; the first call wins and later
 * calls with another thread count report the count actually in use. The first call also raises
 * V8's WASM tiering budget (see wasm-tiering-budget.ts).
 */
export function createWasmEngine(options: { threads?: number } = {}): OrtEngine {
  if (!ortConfigured) {
    raiseWasmTieringBudget();
    ort.env.wasm.numThreads = Math.max(1, options.threads ?? 1);
    ort.env.wasm.wasmPaths = pathToFileURL(ortWasmDirectory() + '/').href;
    ort.env.logLevel = 'error';
    ortConfigured = true;
  }
  return {
    name: 'wasm',
    ort: ort as unknown as OrtModule,
    executionProviders: ['wasm'],
    threads: Number(ort.env.wasm.numThreads) || 1,
  };
}

let ortConfigured = false;
