// The engine probe's verdicts in IndexedDB (idb-keyval), one per model, precision and engine choice.
import { del, get, set } from 'idb-keyval';
import type { EngineVerdict } from './browser-engine.js';

/**
 * A verdict is trusted this long, then the engines are probed again: a browser or driver update
 * may have fixed (or broken) WebGPU, or made another engine faster.
 */
export const verdictLifetimeMs = 7 * 24 * 60 * 60 * 1000;

const keyOf = (model: string, dtype: string, choice: string) => `nexus-engine-verdict:${model}:${dtype}:${choice}`;

/** A verdict as kept: with the app build that reached it. */
export interface KeptVerdict extends EngineVerdict {
  build: string;
}

/**
 * True while a kept verdict holds: younger than verdictLifetimeMs, and reached by this build of the
 * app (a new build may prepare the model differently for an engine, or bring another onnxruntime:
 * a WebGPU ruled out by the build before is probed again).
 */
export function verdictHolds(verdict: Partial<KeptVerdict>, build: string, now: number): verdict is KeptVerdict {
  return verdict.build === build && typeof verdict.at === 'number' && now - verdict.at >= 0 && now - verdict.at < verdictLifetimeMs;
}

/** The verdict kept for this model, precision and choice, unless it has expired, came from another build, or cannot be read. */
export async function readEngineVerdict(model: string, dtype: string, choice: string, build: string, now = Date.now()): Promise<EngineVerdict | undefined> {
  try {
    const verdict = await get<Partial<KeptVerdict>>(keyOf(model, dtype, choice));
    if (verdict && verdictHolds(verdict, build, now)) return verdict;
    if (verdict) await del(keyOf(model, dtype, choice));
  } catch {
    // Without IndexedDB the engines are probed at every start, as before.
  }
  return undefined;
}

/** Keeps a new verdict of this build; losing it only means probing again next time. */
export async function writeEngineVerdict(model: string, dtype: string, choice: string, build: string, verdict: EngineVerdict): Promise<void> {
  await set(keyOf(model, dtype, choice), { ...verdict, build } satisfies KeptVerdict).catch(() => undefined);
}
