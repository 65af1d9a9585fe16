// raiseWasmTieringBudget: onnxruntime-web's start-up code stays on V8's baseline compiler, unless the command line says otherwise.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** Functions V8 recompiled with TurboFan while the Node WASM engine started, from V8's own trace. */
async function optimisedAtStart(flags: string[]): Promise<number> {
  const { stdout } = await run(process.execPath, ['--trace-wasm-compilation-times', ...flags, '--import', 'tsx', 'tests/fixtures/wasm-engine-start.ts'], { maxBuffer: 64 * 2 ** 20 });
  return stdout.split('\n').filter((line) => line.includes('using TurboFan')).length;
}

describe('WASM tiering budget (Node engine)', () => {
  it('keeps onnxruntime-web start-up code off TurboFan; a budget on the command line wins', async () => {
    const raised = await optimisedAtStart([]);
    const commandLineDefault = await optimisedAtStart(['--wasm-tiering-budget=1800000']);
    // Seen: 4 with the raised budget, 57 with V8's default.
    expect(raised).toBeLessThan(20);
    expect(commandLineDefault).toBeGreaterThan(raised + 10);
  }, 60_000);
});
