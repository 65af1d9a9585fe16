// The engine probe's verdicts in IndexedDB (idb-keyval), one per model, precision and engine choice.
import { del, get, set } from 'idb-keyval';
import type { EngineVerdict } from './browser-engine.js';

/**
 * A verdict is trusted this long, then the engines are probed again: a browser or driver update
 * may have fixed (or broken) WebGPU, or made another engine faster.
 */
export const verdictLifetimeMs = 7 * 24 * 60 * 60 * 1000;

const keyOf = (model: string, dtype: string, choice: string) => `nexus-engine-verdict:${model}:${dtype}:${choice}`;

/** The verdict kept for this model, precision and choice, unless it has expired or cannot be read. */
export async function readEngineVerdict(model: string, dtype: string, choice: string, now = Date.now()): Promise<EngineVerdict | undefined> {
  try {
    const verdict = await get<EngineVerdict>(keyOf(model, dtype, choice));
    if (verdict && now - verdict.at < verdictLifetimeMs) return verdict;
    if (verdict) await del(keyOf(model, dtype, choice));
  } catch {
    // Without IndexedDB the engines are probed at every start, as before.
  }
  return undefined;
}

/** Keeps a new verdict; losing it only means probing again next time. */
export async function writeEngineVerdict(model: string, dtype: string, choice: string, verdict: EngineVerdict): Promise<void> {
  await set(keyOf(model, dtype, choice), verdict).catch(() => undefined);
}
