// The native onnxruntime-node engine (opt-in, for speed), loaded only when asked for and installed.
import type { OrtEngine, OrtModule } from '../core/platform/ort-engine.js';

/** True when the optional onnxruntime-node package can be loaded here. */
export async function nativeEngineAvailable(): Promise<boolean> {
  try {
    await import('onnxruntime-node');
    return true;
  } catch {
    return false;
  }
}

/** onnxruntime-node on the CPU; throws when the package is not installed. */
export async function createNativeEngine(options: { threads?: number } = {}): Promise<OrtEngine> {
  const ort = (await import('onnxruntime-node')) as unknown as OrtModule;
  const threads = Math.max(1, options.threads ?? 1);
  return {
    name: 'native',
    ort,
    executionProviders: ['cpu'],
    threads,
    sessionOptions: { intraOpNumThreads: threads, interOpNumThreads: 1 },
  };
}
