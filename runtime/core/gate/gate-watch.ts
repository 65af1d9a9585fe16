// GateWatch: follows one answer token by token: decide after k tokens, then watch for a collapse.
import { confidenceScore } from './confidence-score.js';
import type { GateSettings } from './gate-settings.js';

export type GateVerdict = 'pending' | 'answer' | 'abstain' | 'continue' | 'stop';

/** The gate's state for one answer. Feed it every token's log-probability in order. */
export class GateWatch {
  private readonly logProbabilities: number[] = [];
  private decided: 'answer' | 'abstain' | undefined;
  private collapsed = false;

  constructor(private readonly settings: GateSettings) {}

  /**
   * `pending` until k tokens (or the end) are seen, then `answer` or `abstain` once; after an
   * `answer`, `continue` per token, or `stop` when the sliding-window confidence collapses.
   */
  observe(logProbability: number, isLast = false): GateVerdict {
    this.logProbabilities.push(logProbability);
    if (this.decided === undefined) {
      if (this.logProbabilities.length < this.settings.k && !isLast) return 'pending';
      this.decided = this.confidence >= this.settings.threshold ? 'answer' : 'abstain';
      return this.decided;
    }
    if (this.decided === 'abstain' || this.collapsed) return 'stop';
    if (this.windowConfidence < this.settings.collapseThreshold) {
      this.collapsed = true;
      return 'stop';
    }
    return 'continue';
  }

  /** Confidence of the answer over the first k tokens (what the decision used). */
  get confidence(): number {
    return confidenceScore(this.logProbabilities.slice(0, this.settings.k), this.settings.score);
  }

  /** Confidence over the last collapseWindow tokens. */
  get windowConfidence(): number {
    return confidenceScore(this.logProbabilities.slice(-this.settings.collapseWindow));
  }

  get hasCollapsed(): boolean {
    return this.collapsed;
  }

  get tokensSeen(): number {
    return this.logProbabilities.length;
  }
}
