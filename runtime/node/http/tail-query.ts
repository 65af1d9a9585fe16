// tailQuery: the `tail` query parameter of the log routes, a count of the newest lines.
import { NexusError } from '../../core/nexus-error.js';

/**
 * `tail` as a line count: absent or empty → `fallback`; `0` → no lines (only what follows, for the
 * stream); more than `max` → `max` (all the ring holds). Anything but a whole number is a 400
 * BAD_REQUEST naming `tail`, rather than silently becoming the default.
 */
export function tailQuery(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  if (!/^\s*\d{1,9}\s*$/.test(value)) throw new NexusError('BAD_REQUEST', { field: 'tail', reason: `expected a whole number of lines (0 for none), got "${value.slice(0, 40)}"` });
  return Math.min(max, Number(value));
}
