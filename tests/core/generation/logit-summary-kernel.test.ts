// The WASM SIMD logit summary against a float64 softmax and the JS loop: same top token, float32-close sums, any length, odd values.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogitSummaryKernel, logitSummaryKernel } from '../../../runtime/core/generation/logit-summary-kernel.js';
import { kernelMinimumLogits, summarizeLogits, summarizeLogitsInJs } from '../../../runtime/core/generation/token-stats.js';
import type { LogitSummary } from '../../../runtime/core/generation/logit-summary.js';
import { naiveSoftmax as reference } from '../../support/naive-softmax.js';

/**
 * Six digits (5e-7): the kernel computes e^x and x·e^x in float32, the logits' own precision (6e-8
 * relative a term; 4e-8 worst seen over 3,000 random vectors); the logits themselves differ by ~1e-5
 * between engines, and gate thresholds sit 10⁵ times further apart than that.
 */
function expectClose(actual: LogitSummary, expected: LogitSummary): void {
  expect(actual.top1Id).toBe(expected.top1Id);
  expect(actual.logNormalizer).toBeCloseTo(expected.logNormalizer, 6);
  expect(actual.entropy).toBeCloseTo(expected.entropy, 6);
  expect(actual.margin).toBeCloseTo(expected.margin, 6);
}

const kernel = LogitSummaryKernel.create();

describe('LogitSummaryKernel', () => {
  it('compiles here (Node 20 has WebAssembly SIMD), once per realm', () => {
    expect(kernel).toBeDefined();
    expect(logitSummaryKernel()).toBe(logitSummaryKernel());
  });

  it('matches a float64 softmax for any length, including ones that are not a multiple of 8', () => {
    const logitsArb = fc
      .array(fc.float({ min: -30, max: 30, noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 1200 })
      .map((values) => Float32Array.from(values));
    fc.assert(fc.property(logitsArb, (logits) => expectClose(kernel!.summarize(logits), reference(logits))), { numRuns: 200 });
  });

  it('agrees with the JS loop on near-uniform logits, where every term counts', () => {
    for (const length of [4096, 4093, 257]) {
      const logits = Float32Array.from({ length }, (_, i) => Math.sin(i * 12.9898) * 0.5);
      const fromKernel = kernel!.summarize(logits);
      expectClose(fromKernel, summarizeLogitsInJs(logits));
      expectClose(fromKernel, reference(logits));
    }
  });

  it('finds the first of tied top logits, wherever it falls among the 8-lane turns', () => {
    for (const at of [0, 3, 7, 8, 4090, 4095]) {
      const logits = new Float32Array(4096).fill(-1);
      logits[at] = 9;
      logits[4095 - ((at + 5) % 7)] = 9;
      const first = logits.indexOf(9);
      const summary = kernel!.summarize(logits);
      expect(summary.top1Id).toBe(first);
      expect(summary.margin).toBe(0);
    }
  });

  it('uniform logits give ln V exactly and margin 0', () => {
    const summary = kernel!.summarize(new Float32Array(1000).fill(2.5));
    expect(summary.entropy).toBe(Math.log(1000));
    expect(summary.logNormalizer).toBeCloseTo(2.5 + Math.log(1000), 12);
    expect(summary.margin).toBe(0);
  });

  it('−Infinity logits (masked tokens) add nothing; a NaN logit makes the entropy NaN as the JS loop does', () => {
    const logits = Float32Array.from({ length: 512 }, (_, i) => Math.cos(i) * 4);
    const masked = logits.slice();
    masked[10] = -Infinity;
    masked[511] = -Infinity;
    const withoutMasked = Float32Array.from(logits.filter((_, i) => i !== 10 && i !== 511));
    const summary = kernel!.summarize(masked);
    expect(summary.entropy).toBeCloseTo(reference(withoutMasked).entropy, 7);
    expect(summary.logNormalizer).toBeCloseTo(reference(withoutMasked).logNormalizer, 7);
    expectClose(summarizeLogitsInJs(masked), summary);

    const broken = logits.slice();
    broken[200] = Number.NaN;
    expect(kernel!.summarize(broken).entropy).toBeNaN();
    expect(summarizeLogitsInJs(broken).entropy).toBeNaN();
    expect(kernel!.summarize(broken).top1Id).toBe(summarizeLogitsInJs(broken).top1Id);
  });

  it('grows its memory for a 151,936-token vocabulary and still serves small ones after', () => {
    const large = Float32Array.from({ length: 151_936 }, (_, i) => Math.sin(i * 0.37) * 12);
    large[151_935] = 20;
    expectClose(kernel!.summarize(large), summarizeLogitsInJs(large));
    const small = Float32Array.from({ length: 300 }, (_, i) => Math.cos(i) * 3);
    expectClose(kernel!.summarize(small), reference(small));
    expectClose(kernel!.summarize(large), summarizeLogitsInJs(large));
  });
});

describe('summarizeLogits', () => {
  it(`uses the kernel from ${kernelMinimumLogits} logits and the JS loop below`, () => {
    const long = Float32Array.from({ length: kernelMinimumLogits }, (_, i) => Math.sin(i) * 5);
    expect(summarizeLogits(long)).toEqual(logitSummaryKernel()!.summarize(long));
    const short = long.subarray(0, kernelMinimumLogits - 1);
    expect(summarizeLogits(short)).toEqual(summarizeLogitsInJs(short));
  });
});
