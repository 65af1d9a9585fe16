// raiseWasmTieringBudget: keeps V8 from optimising onnxruntime-web code that is hot only while it starts.
import { setFlagsFromString } from 'node:v8';

/**
 * 100× V8's default (1,800,000, "roughly bytes executed" before a WASM function is recompiled by
 * TurboFan). With the default, onnxruntime-web's start-up and session creation make ~240 functions
 * hot once; V8 recompiles them on background threads during load and the first answer (~250 MB of
 * compiler memory in all), code that never runs hot again. With 100×, ~90 functions tier up, the
 * decode kernels among them after a few answers: lexicon-tiny on WASM peaked at 155–162 MB instead
 * of 212–230 MB, the first answer decoded at ~300 instead of ~75 tok/s, and later answers at the
 * same speed within this machine's noise (tests/bench measures it).
 */
export const wasmTieringBudget = 180_000_000;

let raised = false;

/**
 * Sets V8's WASM tiering budget for this process, before onnxruntime-web compiles its module (the
 * budget is read per module); a budget given on the command line is left as it is.
 */
export function raiseWasmTieringBudget(): void {
  if (raised || process.execArgv.some((arg) => arg.startsWith('--wasm-tiering-budget'))) return;
  setFlagsFromString(`--wasm-tiering-budget=${wasmTieringBudget}`);
  raised = true;
}
