// loadModelDirectory: loads a model directory from disk onto the Node WASM engine (or a given engine).
import { basename } from 'node:path';
import type { OrtEngine } from '../core/platform/ort-engine.js';
import type { ModelDtype } from '../core/model/model-dtype.js';
import { loadLanguageModel, type LanguageModel } from '../core/model/language-model.js';
import { FsModelSource } from './fs-model-source.js';
import { nodeSha256Hex } from './node-sha256.js';
import { createWasmEngine } from './ort-web-engine.js';

export interface LoadModelDirectoryOptions {
  dtype?: ModelDtype;
  id?: string;
  engine?: OrtEngine;
  threads?: number;
  contextLength?: number;
}

/** The model in `directory` (config.json, tokenizer files, onnx/), ready to generate. */
export function loadModelDirectory(directory: string, options: LoadModelDirectoryOptions = {}): Promise<LanguageModel> {
  const engine = options.engine ?? createWasmEngine({ threads: options.threads });
  return loadLanguageModel(new FsModelSource(directory), engine, {
    id: options.id ?? basename(directory),
    dtype: options.dtype ?? 'q8',
    contextLength: options.contextLength,
    sha256Hex: nodeSha256Hex,
  });
}
