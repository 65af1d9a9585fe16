// A flood past the queue: some requests get 429 with Retry-After, none a 5xx, and the server answers afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAppliance, type TestAppliance } from './appliance-harness.js';

let t: TestAppliance;

beforeAll(async () => {
  t = await startTestAppliance({ queue: { size: 2, concurrency: 1, retryAfterSeconds: 3, requestTimeoutMs: 60_000 } });
});

afterAll(async () => {
  await t?.stop();
});

const ask = (prompt: string) => fetch(`${t.app.lanUrl}/api/interact`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt }) });

describe('queue flood', () => {
  it('answers 429 with Retry-After beyond the queue, never 5xx, and serves afterwards', async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => ask(i % 2 ? 'What does harbor mean?' : 'What does blorvantic mean?')));
    const statuses = responses.map((response) => response.status);
    const limited = responses.filter((response) => response.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(3);
    for (const response of limited) {
      expect(response.headers.get('retry-after')).toBe('3');
      expect((await response.json()).error.code).toBe('QUEUE_FULL');
    }
    const after = await ask('What does harbor mean?');
    expect(after.status).toBe(200);
    expect((await after.json()).decision).toBe('answered');
    const status = await (await fetch(`${t.app.lanUrl}/api/status`)).json();
    expect(status.queue).toMatchObject({ depth: 0, active: 0, size: 2 });
    expect(status.health.status).not.toBe('unhealthy');
  });
});
