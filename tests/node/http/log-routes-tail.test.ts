// GET /api/logs?tail=N and /api/logs/stream?tail=N over a real appliance: 0 is none, a bad value is a 400 naming tail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAppliance, type TestAppliance } from '../appliance/appliance-harness.js';

let t: TestAppliance;

beforeAll(async () => {
  t = await startTestAppliance();
  for (let i = 0; i < 5; i++) t.app.daemon.logger.log('info', 'test.filler', { i });
});
afterAll(async () => {
  await t?.stop();
});

const admin = (path: string) => fetch(`${t.app.adminUrl}${path}`, { headers: { authorization: `Bearer ${t.adminKey}` } });
const lines = async (path: string) => ((await (await admin(path)).json()) as { lines: unknown[] }).lines;

describe('the tail of the log', () => {
  it('tail=0 returns no lines; tail=N the newest N; no tail the default 100 (or what the ring holds)', async () => {
    expect(await lines('/api/logs?tail=0')).toEqual([]);
    expect(await lines('/api/logs?tail=2')).toHaveLength(2);
    const all = await lines('/api/logs');
    expect(all.length).toBeGreaterThan(5);
    expect(all.length).toBeLessThanOrEqual(100);
    expect(await lines('/api/logs?tail=999999')).toHaveLength(t.app.daemon.logger.tail(t.app.daemon.logger.capacity).length);
  });

  it('a tail that is not a whole number is a 400 BAD_REQUEST naming tail, on both routes', async () => {
    for (const path of ['/api/logs?tail=abc', '/api/logs?tail=-1', '/api/logs?tail=1.5', '/api/logs/stream?tail=ten']) {
      const response = await admin(path);
      expect(response.status, path).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('BAD_REQUEST');
      expect(body.error.message).toMatch(/^\[tail\] expected a whole number of lines/);
    }
  });
});
