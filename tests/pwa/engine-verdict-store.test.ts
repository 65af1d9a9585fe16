// When a kept engine verdict still holds: the same app build, and younger than its lifetime.
import { describe, expect, it } from 'vitest';
import { verdictHolds, verdictLifetimeMs } from '../../pwa/src/worker/engine-verdict-store.js';

const at = Date.UTC(2026, 10, 20);
const verdict = { tried: ['wasm-threaded' as const, 'webgpu' as const], report: { chosen: 'wasm-threaded' as const, threads: 2, rejected: {} }, at, build: '/assets/inference-worker-B2x9.js' };

describe('verdictHolds', () => {
  it('holds for the build that reached it, until its lifetime is over', () => {
    expect(verdictHolds(verdict, verdict.build, at + 1000)).toBe(true);
    expect(verdictHolds(verdict, verdict.build, at + verdictLifetimeMs - 1)).toBe(true);
    expect(verdictHolds(verdict, verdict.build, at + verdictLifetimeMs)).toBe(false);
  });

  it('does not hold for another build, or a verdict kept before builds were recorded (WebGPU is probed again after an update)', () => {
    expect(verdictHolds(verdict, '/assets/inference-worker-C7q1.js', at + 1000)).toBe(false);
    const { build: _build, ...unversioned } = verdict;
    expect(verdictHolds(unversioned, verdict.build, at + 1000)).toBe(false);
  });

  it('does not hold when it is dated after now (the clock was set back) or not dated at all', () => {
    expect(verdictHolds(verdict, verdict.build, at - 1000)).toBe(false);
    expect(verdictHolds({ ...verdict, at: undefined }, verdict.build, at)).toBe(false);
  });
});
