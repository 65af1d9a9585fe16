// The onnxruntime-web WASM binaries Nexus Edge serves itself (never from a CDN), staged from the npm package.

/** Plain SIMD(-threaded) WASM for every browser and Node, and the JSEP build that adds WebGPU. */
export const ortWasmFiles = ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.jsep.mjs', 'ort-wasm-simd-threaded.jsep.wasm'] as const;

/** Where the files come from inside node_modules. */
export const ortWasmSourceDirectory = 'node_modules/onnxruntime-web/dist';
