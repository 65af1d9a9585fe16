// CircuitBreaker: stops calling a failing dependency (inference, teacher) for a cool-down, then probes it.
import { NexusError, isNexusError } from '../nexus-error.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { silentLogger, type Logger } from '../platform/logger.js';

/** CLOSED: calls pass. OPEN: calls are refused until the cool-down ends. HALF_OPEN: probe calls decide. */
export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

/** Why the breaker changed state. */
export type CircuitTransitionReason = 'failure-threshold' | 'cool-down-elapsed' | 'probe-succeeded' | 'probe-failed';

export interface CircuitBreakerOptions {
  /** Named in CIRCUIT_OPEN errors and snapshots (e.g. `teacher`, `inference`). */
  name: string;
  /** Consecutive failures that open the breaker (default 5). */
  failureThreshold?: number;
  /** How long an open breaker refuses calls before it lets a probe through (default 30 000 ms). */
  coolDownMs?: number;
  /** Probe calls allowed in flight at once while HALF_OPEN (default 1); others are refused. */
  halfOpenMaxProbes?: number;
  /** Time source (default systemClock); cool-downs use `monotonic()`, reported times use `now()`. */
  clock?: Clock;
  /**
   * Whether a thrown error counts against the dependency. The default counts everything except a
   * cancellation (NexusError ABORTED or an `AbortError`): a user who gives up is not an outage.
   */
  isFailure?: (error: unknown) => boolean;
  /** Where a throwing state-change listener is reported (default: silent). */
  logger?: Logger;
}

/** One state change, as given to `onStateChange` listeners. */
export interface CircuitStateChange {
  name: string;
  from: CircuitState;
  to: CircuitState;
  reason: CircuitTransitionReason;
  /** Wall time of the change (ms since the epoch). */
  at: number;
}

/** A plain-JSON view of the breaker for status APIs, health and metrics. */
export interface CircuitBreakerSnapshot {
  name: string;
  state: CircuitState;
  /** Consecutive counted failures (reset by a success in CLOSED and on closing). */
  failures: number;
  /** Wall time the breaker last opened; null while CLOSED. */
  openedAt: number | null;
  /** While OPEN, how long until a probe is let through; otherwise 0. */
  retryAfterMs: number;
  /** Totals since creation. */
  counters: { successes: number; failures: number; ignoredErrors: number; rejections: number; transitions: number };
}

/** Retry hint while HALF_OPEN with every probe slot taken: a probe's outcome is due soon. */
const HALF_OPEN_RETRY_MS = 1000;

/** The default `isFailure`: everything but a cancellation. */
export function isCountedFailure(error: unknown): boolean {
  if (isNexusError(error, 'ABORTED')) return false;
  return !(error instanceof Error && error.name === 'AbortError');
}

function check(condition: boolean, key: string, reason: string): void {
  if (!condition) throw new NexusError('INVALID_OPTION', { key, reason });
}

/**
 * A three-state circuit breaker. The OPEN → HALF_OPEN move happens lazily, on the first call after
 * the cool-down, so `state` reads OPEN until then. Calls that started before a state change still
 * count in the totals but no longer move the state (their outcome describes an older situation).
 */
export class CircuitBreaker {
  readonly name: string;
  readonly failureThreshold: number;
  readonly coolDownMs: number;
  readonly halfOpenMaxProbes: number;
  readonly #clock: Clock;
  readonly #isFailure: (error: unknown) => boolean;
  readonly #logger: Logger;
  readonly #listeners = new Set<(change: CircuitStateChange) => void>();
  #state: CircuitState = 'CLOSED';
  /** Bumped on every transition so late outcomes of older calls can be recognized. */
  #generation = 0;
  #consecutiveFailures = 0;
  #probesInFlight = 0;
  #openedAt: number | null = null;
  #openedAtMonotonic = 0;
  readonly #counters = { successes: 0, failures: 0, ignoredErrors: 0, rejections: 0, transitions: 0 };

  constructor(options: CircuitBreakerOptions) {
    const { name, failureThreshold = 5, coolDownMs = 30_000, halfOpenMaxProbes = 1 } = options;
    check(typeof name === 'string' && name.trim() !== '', 'name', `expected a non-empty string, got ${JSON.stringify(name)}`);
    check(Number.isInteger(failureThreshold) && failureThreshold >= 1, 'failureThreshold', `expected an integer ≥ 1, got ${failureThreshold}`);
    check(Number.isFinite(coolDownMs) && coolDownMs >= 0, 'coolDownMs', `expected a number ≥ 0, got ${coolDownMs}`);
    check(Number.isInteger(halfOpenMaxProbes) && halfOpenMaxProbes >= 1, 'halfOpenMaxProbes', `expected an integer ≥ 1, got ${halfOpenMaxProbes}`);
    this.name = name;
    this.failureThreshold = failureThreshold;
    this.coolDownMs = coolDownMs;
    this.halfOpenMaxProbes = halfOpenMaxProbes;
    this.#clock = options.clock ?? systemClock;
    this.#isFailure = options.isFailure ?? isCountedFailure;
    this.#logger = options.logger ?? silentLogger;
  }

  /** The current state (OPEN stays OPEN until a call arrives after the cool-down). */
  get state(): CircuitState {
    return this.#state;
  }

  /**
   * Runs `fn` unless the breaker is open; rethrows whatever `fn` throws after recording it.
   * Refused calls reject at once with NexusError CIRCUIT_OPEN `{name, retryAfterMs, state}`.
   */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    this.#admit();
    const generation = this.#generation;
    const isProbe = this.#state === 'HALF_OPEN';
    if (isProbe) this.#probesInFlight += 1;
    let value: T;
    try {
      value = await fn();
    } catch (error) {
      this.#recordError(error, generation, isProbe);
      throw error;
    }
    this.#recordSuccess(generation);
    return value;
  }

  /** A plain-JSON view of the state and totals. */
  snapshot(): CircuitBreakerSnapshot {
    return {
      name: this.name,
      state: this.#state,
      failures: this.#consecutiveFailures,
      openedAt: this.#openedAt,
      retryAfterMs: this.#state === 'OPEN' ? Math.max(0, this.#coolDownRemaining()) : 0,
      counters: { ...this.#counters },
    };
  }

  /** Calls `listener` after every state change; returns a function that unsubscribes it. */
  onStateChange(listener: (change: CircuitStateChange) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  #coolDownRemaining(): number {
    return this.#openedAtMonotonic + this.coolDownMs - this.#clock.monotonic();
  }

  /** Lets a call through or throws CIRCUIT_OPEN; moves OPEN → HALF_OPEN once the cool-down is over. */
  #admit(): void {
    if (this.#state === 'OPEN') {
      const remaining = this.#coolDownRemaining();
      if (remaining > 0) this.#reject(Math.ceil(remaining));
      this.#transition('HALF_OPEN', 'cool-down-elapsed');
    }
    if (this.#state === 'HALF_OPEN' && this.#probesInFlight >= this.halfOpenMaxProbes) {
      this.#reject(HALF_OPEN_RETRY_MS);
    }
  }

  #reject(retryAfterMs: number): never {
    this.#counters.rejections += 1;
    throw new NexusError('CIRCUIT_OPEN', { name: this.name, retryAfterMs, state: this.#state });
  }

  #recordSuccess(generation: number): void {
    this.#counters.successes += 1;
    if (generation !== this.#generation) return;
    if (this.#state === 'HALF_OPEN') this.#transition('CLOSED', 'probe-succeeded');
    else this.#consecutiveFailures = 0;
  }

  #recordError(error: unknown, generation: number, isProbe: boolean): void {
    let counted: boolean;
    try {
      counted = this.#isFailure(error);
    } catch {
      counted = true; // a broken predicate must not hide real failures
    }
    const current = generation === this.#generation;
    if (!counted) {
      this.#counters.ignoredErrors += 1;
      if (current && isProbe) this.#probesInFlight -= 1; // the probe proved nothing; free its slot
      return;
    }
    this.#counters.failures += 1;
    if (!current) return;
    this.#consecutiveFailures += 1;
    if (this.#state === 'HALF_OPEN') this.#transition('OPEN', 'probe-failed');
    else if (this.#consecutiveFailures >= this.failureThreshold) this.#transition('OPEN', 'failure-threshold');
  }

  #transition(to: CircuitState, reason: CircuitTransitionReason): void {
    const from = this.#state;
    this.#state = to;
    this.#generation += 1;
    this.#probesInFlight = 0;
    this.#counters.transitions += 1;
    const at = this.#clock.now();
    if (to === 'OPEN') {
      this.#openedAt = at;
      this.#openedAtMonotonic = this.#clock.monotonic();
    } else if (to === 'CLOSED') {
      this.#openedAt = null;
      this.#consecutiveFailures = 0;
    }
    const change: CircuitStateChange = { name: this.name, from, to, reason, at };
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch (error) {
        // A listener (metrics, SSE feed) must not break the call it observes.
        this.#logger.log('warn', 'circuit_breaker.listener_failed', { name: this.name, reason: String(error) });
      }
    }
  }
}
