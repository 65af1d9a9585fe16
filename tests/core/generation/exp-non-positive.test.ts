// expNonPositive against Math.exp over the whole non-positive range, the edges included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expNonPositive } from '../../../runtime/core/generation/exp-non-positive.js';

const relativeError = (x: number) => Math.abs(expNonPositive(x) / Math.exp(x) - 1);

describe('expNonPositive', () => {
  it('is exact at 0 and within 1e-8 of Math.exp on a fine grid down to −700', () => {
    expect(expNonPositive(0)).toBe(1);
    let worst = 0;
    for (let x = 0; x >= -700; x -= 0.00731) worst = Math.max(worst, relativeError(x));
    expect(worst).toBeLessThan(1e-8);
  });

  it('stays within 1e-8 (or 1e-300 absolute in the subnormal tail) on any non-positive double', () => {
    fc.assert(
      fc.property(fc.double({ min: -800, max: 0, noNaN: true }), (x) => {
        const exact = Math.exp(x);
        expect(Math.abs(expNonPositive(x) - exact)).toBeLessThanOrEqual(Math.max(1e-8 * exact, 1e-300));
      }),
      { numRuns: 5000 },
    );
  });

  it('underflows to 0 far below, and is 0 for −Infinity', () => {
    expect(expNonPositive(-800)).toBe(0);
    expect(expNonPositive(-Infinity)).toBe(0);
  });
});
