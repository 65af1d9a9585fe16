// The daemon's small parts: request queue bounds, leak slope, health verdicts, live config diff.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../edge-config/config-schema.js';
import { isNexusError } from '../../../runtime/core/index.js';
import { assessHealth } from '../../../runtime/node/appliance/health.js';
import { diffLiveConfig } from '../../../runtime/node/appliance/live-config.js';
import { MemoryMonitor } from '../../../runtime/node/appliance/memory-monitor.js';
import { RequestQueue } from '../../../runtime/node/appliance/request-queue.js';

describe('RequestQueue', () => {
  it('runs `concurrency` at once, queues `size`, refuses beyond with QUEUE_FULL', async () => {
    const queue = new RequestQueue({ size: 1, concurrency: 1, retryAfterSeconds: 2 });
    const release = await queue.acquire();
    const waiting = queue.acquire();
    expect(queue.depth).toBe(1);
    const refused = await queue.acquire().catch((error: unknown) => error);
    expect(isNexusError(refused, 'QUEUE_FULL')).toBe(true);
    release();
    const second = await waiting;
    expect(queue.active).toBe(1);
    second();
    expect(queue.active).toBe(0);
  });

  it('drops a waiter whose signal aborts', async () => {
    const queue = new RequestQueue({ size: 2, concurrency: 1, retryAfterSeconds: 1 });
    const release = await queue.acquire();
    const controller = new AbortController();
    const waiting = queue.acquire(controller.signal);
    controller.abort();
    expect(isNexusError(await waiting.catch((error: unknown) => error), 'ABORTED')).toBe(true);
    expect(queue.depth).toBe(0);
    release();
  });
});

describe('MemoryMonitor', () => {
  /** A monitor fed one sample every 30 s (the default interval) for `minutes`, RSS given by `mb(minute)`. */
  function sampled(minutes: number, mb: (minute: number) => number): MemoryMonitor {
    const monitor = new MemoryMonitor({ thresholdMbPerHour: 5 });
    for (let at = 0; at <= minutes * 60_000; at += 30_000) monitor.sample({ at, mb: mb(at / 60_000) });
    return monitor;
  }

  it('computes the slope in MB/hour and flags growth that goes on for half an hour', () => {
    const growing = sampled(40, (minute) => 100 + minute * 0.5);
    expect(growing.report().slopeMbPerHour).toBeCloseTo(30, 6);
    expect(growing.report().leaking).toBe(true);
    // Repeated steps that are never given back (a model loaded again and again) are a leak too.
    expect(sampled(40, (minute) => 100 + 10 * Math.floor(minute / 4)).report().leaking).toBe(true);
    expect(sampled(40, (minute) => 100 + (Math.round(minute * 2) % 2)).report().leaking).toBe(false);
  });

  it('does not call a leak before the samples span half an hour, however fast memory grows', () => {
    const early = sampled(20, (minute) => 100 + minute * 4);
    expect(early.report().slopeMbPerHour).toBeCloseTo(240, 6);
    expect(early.report().leaking).toBe(false);
  });

  it('does not call start-up growth that levels off, or one step, a leak (a least-squares fit read both as hundreds of MB/hour)', () => {
    // 116 → 149 MB over the first 8 minutes, then flat: what a fresh appliance serving a PWA did.
    const warmUp = sampled(40, (minute) => 116 + 33 * Math.min(1, minute / 8));
    expect(warmUp.report().leaking).toBe(false);
    expect(warmUp.report().slopeMbPerHour).toBeLessThan(5);
    // One model switch, 30 MB more and then flat, wherever it falls in the window (in the middle it moves half of all pairs).
    for (const stepAt of [10, 20, 20.25, 30]) expect(sampled(40, (minute) => (minute < stepAt ? 120 : 150)).report().leaking).toBe(false);
  });
});

describe('assessHealth', () => {
  const calm = { requests: 20, errorRate: 0, refusalRate: 0, p95LatencyMs: 100 };
  it('is healthy, degraded or unhealthy with reasons', () => {
    expect(assessHealth({ breaker: 'CLOSED', leaking: false, stats: calm, lastCheckpointError: null })).toEqual({ status: 'healthy', reasons: [] });
    expect(assessHealth({ breaker: 'CLOSED', leaking: true, stats: calm, lastCheckpointError: 'disk full' }).status).toBe('degraded');
    const open = assessHealth({ breaker: 'OPEN', leaking: false, stats: { ...calm, errorRate: 0.6 }, lastCheckpointError: null });
    expect(open.status).toBe('unhealthy');
    expect(open.reasons.join(' ')).toMatch(/breaker.*error rate/);
  });
});

describe('diffLiveConfig', () => {
  it('applies live keys and reports the rest as needing a restart', () => {
    const before = defaultConfig();
    const after = { ...before, port: 9090, gate: { ...before.gate, threshold: 0.4 }, rateLimit: { ...before.rateLimit, perMinutePerKey: 5 } };
    expect(diffLiveConfig(before, after)).toEqual({ applied: ['gate', 'rateLimit'], needsRestart: ['port'] });
  });
});
