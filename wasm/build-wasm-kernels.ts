// `npm run build:wasm`: compiles every kernel's .wat into the TS module the core imports.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { compileKernel, kernelModuleText, wasmKernels } from './wasm-kernels.js';

const root = fileURLToPath(new URL('..', import.meta.url));
for (const kernel of wasmKernels) {
  const binary = await compileKernel(kernel, root);
  await writeFile(`${root}/${kernel.module}`, kernelModuleText(kernel, binary));
  console.log(`${kernel.wat} → ${kernel.module} (${binary.length} bytes)`);
}
