// Test support: Debian's headless Chromium driven by playwright-core (no downloaded browser builds).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function requireChromium(): void {
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH`);
}

const args = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'];

/**
 * WebGPU without a GPU: Chromium's SwiftShader adapter, WebGPU computed on the CPU (slowly). It runs
 * onnxruntime-web's WebGPU kernels for real, wrong results included. The tests crash the GPU process
 * on purpose, more than once: Chromium would otherwise blame the page's site and refuse it a WebGPU
 * adapter after the second crash.
 */
const softwareWebGpuArgs = ['--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan', '--disable-domain-blocking-for-3d-apis'];

/** Launches headless Chromium with no background traffic (its contexts are incognito-like), with software WebGPU when asked, and `extraArgs`. */
export function launchChromium(options: { softwareWebGpu?: boolean; extraArgs?: readonly string[] } = {}): Promise<Browser> {
  requireChromium();
  return chromium.launch({ executablePath: chromiumPath, args: [...args, ...(options.softwareWebGpu ? softwareWebGpuArgs : []), ...(options.extraArgs ?? [])] });
}

/** A browser on a fresh, non-incognito profile (what installability checks need); `close` deletes the profile. */
export interface ChromiumProfile {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium on a new temporary profile directory. */
export async function launchChromiumProfile(options: BrowserContextOptions = {}): Promise<ChromiumProfile> {
  requireChromium();
  const directory = mkdtempSync(join(tmpdir(), 'nexus-chromium-'));
  const context = await chromium.launchPersistentContext(directory, { ...options, executablePath: chromiumPath, args });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
