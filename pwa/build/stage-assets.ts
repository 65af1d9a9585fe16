// Vite plugin: copies the ORT WASM files and the built-in model into the build output (served from the app's origin).
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { ortWasmFiles, ortWasmSourceDirectory } from '../../wasm/ort-wasm-files.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));


/** The built-in model's files, served from the app's origin (cached on first use, not precached). */
export const stagedModelFiles = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx', 'onnx/model_q4.onnx'];

async function copyInto(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  await copyFile(from, to);
}

/** Stages `ort/*` and `models/lexicon-tiny/*` (plus models/registry.json) into the output directory. */
export function stageAssets(): Plugin {
  let outDir = '';
  return {
    name: 'nexus-stage-assets',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async writeBundle() {
      for (const file of ortWasmFiles) await copyInto(join(repo, ortWasmSourceDirectory, file), join(outDir, 'ort', file));
      for (const file of stagedModelFiles) await copyInto(join(repo, 'models/lexicon-tiny', file), join(outDir, 'models/lexicon-tiny', file));
      await copyInto(join(repo, 'models/registry.json'), join(outDir, 'models/registry.json'));
    },
  };
}
