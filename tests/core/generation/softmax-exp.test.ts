// softmaxExp against Math.exp: relative error above the floor, absolute error below it, the edges included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { softmaxExp, softmaxExpFloor } from '../../../runtime/core/generation/softmax-exp.js';

const relativeError = (x: number) => Math.abs(softmaxExp(x) / Math.exp(x) - 1);

describe('softmaxExp', () => {
  it('is exact at 0 and within 1e-10 of Math.exp on a fine grid down to the floor', () => {
    expect(softmaxExp(0)).toBe(1);
    let worst = 0;
    for (let x = 0; x >= softmaxExpFloor; x -= 0.000731) worst = Math.max(worst, relativeError(x));
    expect(worst).toBeLessThan(1e-10);
  });

  it('stays within 1e-10 relative above the floor and 4.3e-18 absolute anywhere at or below 0', () => {
    fc.assert(
      fc.property(fc.double({ min: -800, max: 0, noNaN: true }), (x) => {
        const exact = Math.exp(x);
        const bound = x >= softmaxExpFloor ? 1e-10 * exact : 4.3e-18;
        expect(Math.abs(softmaxExp(x) - exact)).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 5000 },
    );
  });

  it('is 0 far below the floor, for −Infinity, and never negative', () => {
    expect(softmaxExp(-41)).toBe(0);
    expect(softmaxExp(-800)).toBe(0);
    expect(softmaxExp(-Number.MAX_VALUE)).toBe(0);
    expect(softmaxExp(-Infinity)).toBe(0);
    for (let x = softmaxExpFloor + 0.5; x >= softmaxExpFloor - 1.5; x -= 0.001) expect(softmaxExp(x)).toBeGreaterThanOrEqual(0);
  });
});
