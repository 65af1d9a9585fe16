// selectEngine: turns the configured backend (wasm | native | auto) into an engine, saying why.
import { NexusError } from '../core/nexus-error.js';
import type { OrtEngine } from '../core/platform/ort-engine.js';
import { createNativeEngine, nativeEngineAvailable } from './ort-native-engine.js';
import { createWasmEngine } from './ort-web-engine.js';

export type BackendChoice = 'wasm' | 'native' | 'auto';

export interface SelectedEngine {
  engine: OrtEngine;
  /** Why this engine, and why each other candidate was passed over. */
  reasons: string[];
}

/** `auto` prefers native onnxruntime-node when installed (faster on CPUs), else WASM. */
export async function selectEngine(backend: BackendChoice, threads = 1): Promise<SelectedEngine> {
  switch (backend) {
    case 'wasm':
      return { engine: createWasmEngine({ threads }), reasons: ['wasm: configured'] };
    case 'native':
      if (!(await nativeEngineAvailable())) {
        throw new NexusError('INVALID_OPTION', { key: 'backend', reason: 'native needs the onnxruntime-node package, which is not installed here; use wasm or auto' });
      }
      return { engine: await createNativeEngine({ threads }), reasons: ['native: configured'] };
    case 'auto':
      if (await nativeEngineAvailable()) return { engine: await createNativeEngine({ threads }), reasons: ['native: onnxruntime-node is installed', 'wasm: passed over (native is faster on CPUs)'] };
      return { engine: createWasmEngine({ threads }), reasons: ['wasm: default', 'native: passed over (onnxruntime-node not installed)'] };
    default: {
      const unknown: never = backend;
      throw new NexusError('INVALID_OPTION', { key: 'backend', reason: `unknown backend "${String(unknown)}" (valid: wasm, native, auto)` });
    }
  }
}
