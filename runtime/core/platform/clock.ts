// Clock: wall time and a monotonic timer, received by the core so tests and platforms can differ.

export interface Clock {
  /** Milliseconds since the Unix epoch (for timestamps that are stored or shown). */
  now(): number;
  /** A monotonic millisecond counter (for durations). */
  monotonic(): number;
}

/** The clock every platform has: Date.now and performance.now exist in Node 20 and browsers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
};
