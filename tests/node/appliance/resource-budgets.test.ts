// Budgets on a real appliance: CPU over budget is throttled between decode steps, a request past
// queue.requestTimeoutMs ends in a clear 503, and idling over the idle budget degrades health.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceGovernor } from '../../../runtime/node/appliance/resource-governor.js';
import { startTestAppliance, type TestAppliance } from './appliance-harness.js';

let t: TestAppliance;

beforeAll(async () => {
  // Sampled every second for the idle check; a short test's start-up growth is not a leak.
  t = await startTestAppliance({ memory: { sampleIntervalSeconds: 1, leakThresholdMbPerHour: 1e9 } });
});

afterAll(async () => {
  await t?.stop();
});

const ask = (prompt: string) => fetch(`${t.app.lanUrl}/api/interact`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt }) });

/** Changes the live config the way SIGHUP does. */
function withBudgets(change: (config: typeof t.app.daemon.config) => void): void {
  const next = structuredClone(t.app.daemon.config);
  change(next);
  t.app.daemon.applyConfig(next);
}

/**
 * Keeps this process (the appliance's) busy, so the governor's next CPU window is over any small
 * budget and it pauses from the first step: a short answer cannot finish before a short deadline.
 */
function busyFor(ms: number): void {
  t.app.daemon.governor.measureCpu();
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('ResourceGovernor.pauseFor', () => {
  it('pauses just long enough to bring the duty cycle back under the budget, capped', () => {
    expect(ResourceGovernor.pauseFor(40, 50, 100)).toBe(0);
    // Busy 100 % of 100 ms against a 50 % budget: idle another 100 ms.
    expect(ResourceGovernor.pauseFor(100, 50, 100)).toBe(100);
    expect(ResourceGovernor.pauseFor(100, 25, 60)).toBe(180);
    expect(ResourceGovernor.pauseFor(100, 1, 100)).toBe(250);
  });
});

describe('serving CPU budget', () => {
  it('throttles between decode steps: the same answer, slower, with the pauses counted', async () => {
    const free = await (await ask('What does harbor mean?')).json();
    const before = { ...t.app.daemon.governor.counters };
    withBudgets((config) => (config.budgets.serving.cpuPercent = 10));
    busyFor(60);
    const started = performance.now();
    const throttled = await (await ask('What does harbor mean?')).json();
    const throttledMs = performance.now() - started;
    withBudgets((config) => (config.budgets.serving.cpuPercent = 100));
    const after = t.app.daemon.governor.counters;
    expect(throttled.response).toBe(free.response);
    expect(after.throttles).toBeGreaterThan(before.throttles);
    // The governor pauses only between decode steps, so any pause is inside the generation.
    expect(after.throttledMs - before.throttledMs).toBeGreaterThan(100);
    expect(throttledMs).toBeGreaterThan(after.throttledMs - before.throttledMs - 50);
    const metrics = await (await fetch(`${t.app.lanUrl}/metrics`)).text();
    expect(Number(/^nexus_governor_throttles_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
  });
});

describe('queue.requestTimeoutMs', () => {
  it('ends a request that runs past it with 503 REQUEST_TIMEOUT naming the setting, and keeps serving', async () => {
    withBudgets((config) => {
      config.budgets.serving.cpuPercent = 1;
      config.queue.requestTimeoutMs = 100;
    });
    busyFor(60);
    const started = performance.now();
    const response = await ask('What does lantern mean?');
    const elapsed = performance.now() - started;
    withBudgets((config) => {
      config.budgets.serving.cpuPercent = 100;
      config.queue.requestTimeoutMs = 120_000;
    });
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body.error.code).toBe('REQUEST_TIMEOUT');
    expect(body.error.message).toContain('queue.requestTimeoutMs');
    // Cancelled within a pause or a step of the deadline, not after the whole answer.
    expect(elapsed).toBeLessThan(100 + 1500);
    expect(t.logs.some((line) => line.includes('"generation.failed"') && line.includes('REQUEST_TIMEOUT'))).toBe(true);
    const next = await ask('What does harbor mean?');
    expect(next.status).toBe(200);
  });
});

describe('idle budget', () => {
  it('idling over it degrades health with the reason, counts it, and logs it once', async () => {
    withBudgets((config) => (config.budgets.idle.memoryMb = 16));
    const deadline = Date.now() + 10_000;
    let health = await (await fetch(`${t.app.lanUrl}/health`)).json();
    while (!health.reasons?.some((reason: string) => reason.includes('idle memory')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      health = await (await fetch(`${t.app.lanUrl}/health`)).json();
    }
    expect(health.status).toBe('degraded');
    expect(health.reasons.join(' ')).toMatch(/idle memory \d+ MB is over its budget of 16 MB/);
    expect(t.app.daemon.governor.counters.idleOverruns).toBeGreaterThan(0);
    expect(t.logs.filter((line) => line.includes('"governor.idle_over_budget"'))).toHaveLength(1);

    withBudgets((config) => (config.budgets.idle.memoryMb = 4096));
    const recovered = Date.now() + 10_000;
    while (health.status !== 'healthy' && Date.now() < recovered) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      health = await (await fetch(`${t.app.lanUrl}/health`)).json();
    }
    expect(health.reasons).toEqual([]);
    expect(health.status).toBe('healthy');
  });
});
