// assessHealth: healthy / degraded / unhealthy, with the reasons, from the daemon's signals.
import type { CircuitState } from '../../core/resilience/circuit-breaker.js';
import type { RequestStatsSnapshot } from './request-stats.js';

/** The appliance's health and why. */
export interface HealthReport {
  status: 'healthy' | 'degraded' | 'unhealthy';
  reasons: string[];
}

/** The inputs health is judged on. */
export interface HealthSignals {
  breaker: CircuitState;
  leaking: boolean;
  stats: RequestStatsSnapshot;
  lastCheckpointError: string | null;
  /** Why the checkpoints could not be read at start, until a save succeeds. */
  checkpointRestoreError?: string | null;
  /** What is over the idle budget while idle (empty when within it). */
  idleOverrun?: string[];
}

/** Thresholds: error rate ≥ 50 % or an open breaker is unhealthy; the rest degrade. */
export function assessHealth(signals: HealthSignals): HealthReport {
  const unhealthy: string[] = [];
  const degraded: string[] = [];
  if (signals.breaker === 'OPEN') unhealthy.push('inference circuit breaker is open');
  if (signals.breaker === 'HALF_OPEN') degraded.push('inference circuit breaker is probing');
  const { stats } = signals;
  if (stats.requests >= 10 && stats.errorRate >= 0.5) unhealthy.push(`error rate ${Math.round(stats.errorRate * 100)} %`);
  else if (stats.requests >= 10 && stats.errorRate >= 0.1) degraded.push(`error rate ${Math.round(stats.errorRate * 100)} %`);
  if (stats.p95LatencyMs > 30_000) degraded.push(`p95 latency ${Math.round(stats.p95LatencyMs)} ms`);
  if (stats.requests >= 10 && stats.refusalRate >= 0.5) degraded.push(`refusal rate ${Math.round(stats.refusalRate * 100)} %`);
  if (signals.leaking) degraded.push('memory is growing (possible leak)');
  degraded.push(...(signals.idleOverrun ?? []));
  if (signals.checkpointRestoreError) degraded.push(`checkpoints could not be read at start: ${signals.checkpointRestoreError}`);
  if (signals.lastCheckpointError) degraded.push(`last checkpoint save failed: ${signals.lastCheckpointError}`);
  if (unhealthy.length) return { status: 'unhealthy', reasons: [...unhealthy, ...degraded] };
  return { status: degraded.length ? 'degraded' : 'healthy', reasons: degraded };
}
