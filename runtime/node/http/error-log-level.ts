// errorLogLevel: how loud an error answered over HTTP is in the appliance log.
import type { ErrorCode } from '../../core/error-codes.js';
import type { LogLevel } from '../../core/platform/logger.js';

/** 503s the appliance gives by design (paused, loading, stopping, over budget, breaker open): worth noticing, not failures. */
const expectedRefusals: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['PAUSED', 'SHUTTING_DOWN', 'NOT_READY', 'OVER_BUDGET', 'CIRCUIT_OPEN', 'ENGINE_BUSY']);

/**
 * `info` for a client's mistake or a client-side limit (4xx: a too-long prompt, a bad key, a full
 * queue, a rate limit), `warn` for an expected refusal, `error` for every other 5xx: a failure of
 * the appliance that someone should look at.
 */
export function errorLogLevel(code: ErrorCode, status: number): LogLevel {
  if (status < 500) return 'info';
  return expectedRefusals.has(code) ? 'warn' : 'error';
}
