// WASM kernel instances: one of our own kernels (wasm/*) instantiated from its generated module, and its memory grown.

const wasmPageBytes = 65_536;

/** The kernel's exports; undefined where WebAssembly or its SIMD is missing (the caller then does without). */
export function instantiateWasmKernel<Exports>(base64: string): Exports | undefined {
  try {
    const binary = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    return new WebAssembly.Instance(new WebAssembly.Module(binary)).exports as unknown as Exports;
  } catch {
    return undefined;
  }
}

/** Grows `memory` to hold at least `bytes`; its old buffer (and every view of it) is then detached. */
export function growWasmMemory(memory: WebAssembly.Memory, bytes: number): void {
  const missing = bytes - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / wasmPageBytes));
}
