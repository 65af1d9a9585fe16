// Each WASM kernel's generated module holds exactly what its .wat compiles to, and the binary validates.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileKernel, kernelModuleText, wasmKernels } from '../../wasm/wasm-kernels.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('wasm kernels', () => {
  for (const kernel of wasmKernels) {
    it(`${kernel.module} is what ${kernel.wat} compiles to (run \`npm run build:wasm\` after editing it)`, async () => {
      const binary = await compileKernel(kernel, root);
      expect(WebAssembly.validate(binary)).toBe(true);
      expect(await readFile(`${root}/${kernel.module}`, 'utf8')).toBe(kernelModuleText(kernel, binary));
    });
  }
});
