// Load past the queue (streaming and not), 50 SSE subscribers, and clients that leave mid-stream: 429s, no 5xx, slots freed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSse } from '../node/appliance/appliance-harness.js';
import { startInProcess, type InProcessAppliance } from './appliance-in-process.js';

const CLIENTS = Number(process.env.NEXUS_LOAD_CLIENTS ?? 48);
const SUBSCRIBERS = 50;
let dataDir: string;
let t: InProcessAppliance;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'nexus-load-'));
  t = await startInProcess(dataDir, { queue: { size: 4, concurrency: 1, retryAfterSeconds: 2, requestTimeoutMs: 60_000 } });
});

afterAll(async () => {
  await t?.app.close('test');
  await rm(dataDir, { recursive: true, force: true });
});

const prompts = ['What does harbor mean?', 'What does river mean?', 'What does blorvantic mean?', 'What does lantern mean?'];

/** One client: streaming (OpenAI SSE or interact SSE) or not; returns status and latency of the whole answer. */
async function client(i: number): Promise<{ status: number; ms: number; retryAfter: string | null; code?: string }> {
  const started = performance.now();
  const prompt = prompts[i % prompts.length];
  const kind = i % 3;
  const response =
    kind === 0
      ? await fetch(`${t.app.lanUrl}/api/interact`, { method: 'POST', body: JSON.stringify({ prompt }) })
      : kind === 1
        ? await fetch(`${t.app.lanUrl}/api/interact?stream=1`, { method: 'POST', body: JSON.stringify({ prompt }) })
        : await fetch(`${t.app.lanUrl}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ stream: true, messages: [{ role: 'user', content: prompt }] }) });
  const text = await response.text();
  const code = response.status === 200 ? undefined : (JSON.parse(text) as { error: { code: string } }).error.code;
  if (response.status === 200 && kind !== 0) expect(text).toMatch(/event: done|\[DONE\]/);
  return { status: response.status, ms: performance.now() - started, retryAfter: response.headers.get('retry-after'), code };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

describe('load', () => {
  it(`${CLIENTS} concurrent chat clients past a queue of 4: 429 + Retry-After beyond it, no 5xx, served afterwards`, async () => {
    const results = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
    const admitted = results.filter((r) => r.status === 200);
    const limited = results.filter((r) => r.status === 429);
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    expect(admitted.length + limited.length).toBe(CLIENTS);
    expect(admitted.length).toBeGreaterThanOrEqual(5);
    expect(limited.length).toBeGreaterThan(0);
    for (const r of limited) expect(r).toMatchObject({ retryAfter: '2', code: 'QUEUE_FULL' });
    const p95 = percentile(admitted.map((r) => r.ms), 95);
    console.log(`[reliability] load: ${CLIENTS} concurrent clients (1/3 JSON, 2/3 SSE), ${admitted.length} admitted, ${limited.length} × 429, 0 × 5xx; p95 of admitted ${Math.round(p95)} ms`);
    expect(t.app.daemon.queue).toMatchObject({ depth: 0, active: 0 });
    expect((await client(0)).status).toBe(200);
  });

  it(`${SUBSCRIBERS} SSE subscribers all receive an event, and leave no subscription behind`, async () => {
    const before = t.app.daemon.events.subscriberCount;
    const controllers = Array.from({ length: SUBSCRIBERS }, () => new AbortController());
    const responses = await Promise.all(controllers.map((c) => fetch(`${t.app.lanUrl}/api/events`, { signal: c.signal })));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    const received = responses.map((r) => readSse(r, (event) => event.event === 'state' && event.data.includes('sse-fanout')));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(t.app.daemon.events.subscriberCount).toBeGreaterThanOrEqual(before + SUBSCRIBERS);
    await fetch(`${t.app.lanUrl}/api/teach`, { method: 'POST', body: JSON.stringify({ question: 'What is sse-fanout?', answer: 'an event for every subscriber' }) });
    const feeds = await Promise.all(received);
    expect(feeds.every((events) => events.some((event) => event.data.includes('sse-fanout')))).toBe(true);
    for (const c of controllers) c.abort();
    const deadline = Date.now() + 5000;
    while (t.app.daemon.events.subscriberCount > before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(t.app.daemon.events.subscriberCount).toBe(before);
    console.log(`[reliability] SSE: ${SUBSCRIBERS} subscribers served, all unsubscribed after disconnect`);
  });

  it('clients that disconnect mid-stream free their slot: the queue drains to 0 and a new request is served promptly', async () => {
    const DISCONNECTS = 8;
    for (let i = 0; i < DISCONNECTS; i++) {
      const controller = new AbortController();
      const response = await fetch(`${t.app.lanUrl}/v1/chat/completions`, {
        method: 'POST',
        signal: controller.signal,
        body: JSON.stringify({ stream: true, max_tokens: 200, messages: [{ role: 'user', content: 'What does harbor mean?' }] }),
      });
      expect(response.status).toBe(200);
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      controller.abort();
    }
    const deadline = Date.now() + 3000;
    while ((t.app.daemon.queue.active > 0 || t.app.daemon.queue.depth > 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(t.app.daemon.queue).toMatchObject({ depth: 0, active: 0 });
    const started = performance.now();
    expect((await client(0)).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
