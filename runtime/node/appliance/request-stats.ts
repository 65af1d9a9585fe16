// RequestStats: a sliding window of recent request outcomes for health (error rate, p95 latency, refusal rate).

interface Outcome {
  at: number;
  ms: number;
  kind: 'ok' | 'error' | 'refused';
}

/** The window's figures. */
export interface RequestStatsSnapshot {
  requests: number;
  errorRate: number;
  refusalRate: number;
  p95LatencyMs: number;
}

/** Keeps outcomes of the last `windowMs` (default 5 minutes, at most 1000). */
export class RequestStats {
  private readonly outcomes: Outcome[] = [];

  constructor(private readonly windowMs = 300_000) {}

  record(kind: Outcome['kind'], ms = 0): void {
    this.outcomes.push({ at: Date.now(), ms, kind });
    if (this.outcomes.length > 1000) this.outcomes.shift();
  }

  snapshot(): RequestStatsSnapshot {
    const since = Date.now() - this.windowMs;
    while (this.outcomes.length > 0 && this.outcomes[0].at < since) this.outcomes.shift();
    const n = this.outcomes.length;
    const ok = this.outcomes.filter((o) => o.kind === 'ok').map((o) => o.ms).sort((a, b) => a - b);
    return {
      requests: n,
      errorRate: n ? this.outcomes.filter((o) => o.kind === 'error').length / n : 0,
      refusalRate: n ? this.outcomes.filter((o) => o.kind === 'refused').length / n : 0,
      p95LatencyMs: ok.length ? ok[Math.min(ok.length - 1, Math.floor(ok.length * 0.95))] : 0,
    };
  }
}
