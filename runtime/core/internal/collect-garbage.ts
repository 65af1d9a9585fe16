// collectGarbage: a full garbage collection where the host exposes one (V8's --expose-gc), else nothing.

/**
 * Loading a model leaves tens of MB of garbage (onnxruntime-web's 14 MB WASM binary as read from
 * disk; on native, the file's bytes and each graph rewrite's copy) that V8 would collect only once
 * its own heap fills, not when the process's memory does: it is still there when the engine creates
 * its session, the appliance's peak. The appliance runs with --expose-gc for this one call per load.
 */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
