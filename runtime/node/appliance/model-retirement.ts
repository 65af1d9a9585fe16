// ModelRetirement: a model swapped out is released once no generation that began on it still runs.
import type { LanguageModel } from '../../core/model/language-model.js';

/**
 * `models use` puts another model under the assistant. The one it replaces held its session: on
 * WASM, never released, its ~9 MB stayed in onnxruntime-web's heap, so each switch added that much
 * for good (RSS 116 → 337 MB over 24 switches). It cannot be released at once: with
 * `queue.concurrency` over 1, an answer begun on it may still be running.
 */
export class ModelRetirement {
  private readonly users = new Map<LanguageModel, number>();
  private readonly retired = new Set<LanguageModel>();

  constructor(private readonly onReleaseFailed: (error: unknown) => void = () => undefined) {}

  /** A generation starts on `model`; call what this returns when it has ended. */
  use(model: LanguageModel): () => void {
    this.users.set(model, (this.users.get(model) ?? 0) + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const left = (this.users.get(model) ?? 1) - 1;
      if (left > 0) this.users.set(model, left);
      else {
        this.users.delete(model);
        if (this.retired.delete(model)) this.release(model);
      }
    };
  }

  /** `model` starts no new generation: released now, or when the last one running on it ends. */
  retire(model: LanguageModel): void {
    if (this.users.has(model)) this.retired.add(model);
    else this.release(model);
  }

  private release(model: LanguageModel): void {
    model.lm.release().catch(this.onReleaseFailed);
  }
}
