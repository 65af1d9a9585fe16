// AnswerSilenceWatch: where there are no Web Locks (a page over plain HTTP), another tab's answer counts as ended once
// that tab has said nothing of it for a while: a tab that crashed or was killed mid-answer cannot say it is gone.

/** How often a tab whose answer streams says so, even when no new text came (a slow step, a queue, a teacher). */
export const ANSWER_KEEPALIVE_MS = 1000;

/**
 * Silence after which another tab's answer counts as ended. Hidden tabs run their timers at most once a second, so
 * a live tab is heard at least that often; a frozen one that comes back shows its answer again with its next word.
 */
export const ANSWER_SILENCE_MS = 5000;

export class AnswerSilenceWatch {
  private readonly lastHeard = new Map<string, number>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly onSilent: (key: string) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The answer `key` was heard from now. */
  heard(key: string): void {
    this.lastHeard.set(key, this.now());
    this.timer ??= setInterval(() => this.check(), ANSWER_KEEPALIVE_MS);
  }

  private check(): void {
    for (const [key, at] of this.lastHeard) {
      if (this.now() - at < ANSWER_SILENCE_MS) continue;
      this.lastHeard.delete(key);
      this.onSilent(key);
    }
    if (this.lastHeard.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
