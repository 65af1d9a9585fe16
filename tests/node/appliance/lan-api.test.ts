// LAN API over real HTTP: probes, status, metrics (promtool when installed), interact, teach, events, sync, headers, limits, keys.
import { spawnSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '../../../runtime/core/index.js';
import { readSse, startTestAppliance, type TestAppliance } from './appliance-harness.js';

let t: TestAppliance;
let staticDir: string;
let url: string;

beforeAll(async () => {
  staticDir = await mkdtemp(join(tmpdir(), 'nexus-static-'));
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>Nexus</title>');
  t = await startTestAppliance({ limits: { bodyBytes: 64 * 1024, shutdownDeadlineMs: 5000 } }, { staticDir });
  url = t.app.lanUrl;
});

afterAll(async () => {
  await t?.stop();
  await rm(staticDir, { recursive: true, force: true });
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

/** A raw GET that keeps the path exactly as written (fetch would normalize `..`). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = httpRequest({ host: target.hostname, port: target.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('probes and status', () => {
  it('answers /live, /ready, /health and /api/status', async () => {
    expect((await fetch(`${url}/live`)).status).toBe(200);
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, state: 'serving' });
    const health = await (await fetch(`${url}/health`)).json();
    expect(health.status).toBe('healthy');
    const status = await (await fetch(`${url}/api/status`)).json();
    expect(status).toMatchObject({ state: 'serving', model: { id: 'lexicon-tiny', dtype: 'q8', engine: 'wasm' }, queue: { depth: 0, size: 16, active: 0 } });
    expect(status.gate.threshold).toBeGreaterThan(0);
    expect(status.memory.capacity).toBeGreaterThan(0);
    expect(typeof status.rssMb).toBe('number');
    expect(status.leak).toHaveProperty('leaking', false);
    expect(status.checkpoint).toHaveProperty('lastSavedAt');
    expect(status.breaker.state).toBe('CLOSED');
  });
});

describe('interact', () => {
  it('answers a known word and abstains on a made-up one', async () => {
    const known = await (await post('/api/interact', { prompt: 'What does harbor mean?' })).json();
    expect(known).toMatchObject({ decision: 'answered', source: 'model' });
    expect(known.response).toMatch(/harbor/i);
    expect(known.usage.completionTokens).toBeGreaterThan(0);
    expect(known.timings.totalMs).toBeGreaterThan(0);
    const made = await (await post('/api/interact', { messages: [{ role: 'user', content: 'What does blorvantic mean?' }] })).json();
    expect(made.decision).toBe('abstained');
  });

  it('streams deltas and a done event with ?stream=1', async () => {
    const response = await post('/api/interact?stream=1', { prompt: 'What does harbor mean?' });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = await readSse(response);
    const deltas = events.filter((e) => e.event === 'delta').map((e) => JSON.parse(e.data).text).join('');
    const done = events.find((e) => e.event === 'done');
    expect(done).toBeDefined();
    const answer = JSON.parse(done?.data ?? '{}');
    expect(answer.decision).toBe('answered');
    expect(deltas).toBe(answer.response);
  });

  it('teaches an answer, then answers from memory; the answer event reaches /api/events', async () => {
    const feed = await fetch(`${url}/api/events`);
    const received = readSse(feed, (e) => e.event === 'answer');
    const taught = await post('/api/teach', { question: 'What does blorvantic mean?', answer: 'A word made up for tests.' });
    expect(taught.status).toBe(200);
    const again = await (await post('/api/interact', { prompt: 'What does blorvantic mean?' })).json();
    expect(again).toMatchObject({ source: 'memory', decision: 'answered', response: 'A word made up for tests.' });
    const events = await received;
    const answer = events.find((e) => e.event === 'answer');
    expect(JSON.parse(answer?.data ?? '{}')).toMatchObject({ decision: 'answered', source: 'memory', confidence: 1 });
  });

  it('records feedback', async () => {
    const response = await post('/api/feedback', { confidence: 0.9, good: true });
    expect(await response.json()).toMatchObject({ ok: true, feedbackCount: 1 });
  });

  it('serves a checkpoint of the current state that the core decodes', async () => {
    const response = await fetch(`${url}/api/checkpoint/latest`);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    const decoded = await decodeCheckpoint(new Uint8Array(await response.arrayBuffer()));
    expect(decoded.header.modelId).toBe('lexicon-tiny');
    expect(JSON.stringify(decoded.sections.memory)).toContain('A word made up for tests.');
  });
});

describe('metrics', () => {
  it('exposes Prometheus text that passes the format check (and promtool when installed)', async () => {
    const response = await fetch(`${url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    for (const name of ['nexus_http_requests_total', 'nexus_request_duration_seconds', 'nexus_time_to_first_token_seconds', 'nexus_decode_tokens_per_second', 'nexus_queue_depth', 'nexus_gate_decisions_total', 'nexus_breaker_state', 'nexus_rss_bytes', 'nexus_checkpoint_age_seconds', 'nexus_governor_refusals_total']) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(text).toMatch(/nexus_request_duration_seconds\{quantile="0\.95",route="\/api\/interact"\} /);
    expect(text).toMatch(/nexus_gate_decisions_total\{decision="abstained",source="model"\} [1-9]/);
    const sample = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? (-?[0-9.]+(e[+-]?[0-9]+)?|NaN|[+-]Inf)( -?[0-9]+)?$/;
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
      expect(line).toMatch(sample);
    }
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    if (promtool.error) return; // promtool not installed: the format check above stands alone.
    expect(`${promtool.stdout}${promtool.stderr}`.trim()).toBe('');
    expect(promtool.status).toBe(0);
  });
});

describe('HTTP hygiene', () => {
  it('serves the static directory, the API, its streams and its errors with security and cross-origin isolation headers', async () => {
    const response = await fetch(`${url}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Nexus</title>');
    const post = (body: unknown) => fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const streamed = await post({ messages: [{ role: 'user', content: 'What does river mean?' }], stream: true, max_tokens: 4 });
    expect(streamed.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    await streamed.text();
    const refused = await post({ messages: [] });
    expect(refused.status).toBe(400);
    for (const response of [await fetch(`${url}/`), await fetch(`${url}/live`), await fetch(`${url}/nope`), streamed, refused]) {
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('content-security-policy')).toContain("'wasm-unsafe-eval'");
      expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    }
  });

  it('refuses path traversal, plain and encoded', async () => {
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/%2e%2e%2fpackage.json', '/..%5cpackage.json', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd']) {
      const { status, body } = await rawGet(path);
      expect(status, path).toBe(404);
      expect(body).not.toContain('"name": "nexus-edge"');
    }
  });

  it('answers unknown routes with 404 JSON', async () => {
    const response = await fetch(`${url}/api/nope`);
    expect(response.status).toBe(404);
    expect((await response.json()).error).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('without a local CA (no tls init), /nexus-ca.crt is a 404 that says how to make one, not the PWA', async () => {
    const response = await fetch(`${url}/nexus-ca.crt`);
    expect(response.status).toBe(404);
    expect((await response.json()).error).toMatchObject({ code: 'NOT_FOUND', message: 'not found: the local CA certificate (nexusctl tls init makes one)' });
  });

  it('refuses an oversized body with 413 and bad input with 400 naming the field', async () => {
    const big = await post('/api/interact', { prompt: 'x'.repeat(100 * 1024) });
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
    const bad = await post('/api/interact', { prompt: 42 });
    expect(bad.status).toBe(400);
    const error = (await bad.json()).error;
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.details.field).toBe('prompt');
    expect(error).not.toHaveProperty('stack');
  });
});

describe('keys off loopback', () => {
  it('requires a key for chat and read when the server is bound to a non-loopback address, and rate-limits', async () => {
    const open = await startTestAppliance({ host: '0.0.0.0', rateLimit: { perMinutePerKey: 1000, perMinutePerAddress: 4 } }, { assistant: t.app.daemon.assistant });
    try {
      const lan = open.app.lanUrl;
      expect((await fetch(`${lan}/live`)).status).toBe(200);
      const status = await fetch(`${lan}/api/status`);
      expect(status.status).toBe(401);
      expect((await status.json()).error.code).toBe('UNAUTHORIZED');
      const chat = await fetch(`${lan}/api/interact`, { method: 'POST', body: JSON.stringify({ prompt: 'What does harbor mean?' }) });
      expect(chat.status).toBe(401);
      expect((await fetch(`${lan}/api/status`, { headers: { authorization: 'Bearer nx_wrong' } })).status).toBe(401);
      expect((await fetch(`${lan}/api/status`, { headers: { authorization: `Bearer ${open.adminKey}` } })).status).toBe(200);
      // Anonymous calls count against the address: 4 a minute, then 429 with Retry-After.
      const statuses: number[] = [];
      let limited: Response | undefined;
      for (let i = 0; i < 4; i++) {
        const response = await fetch(`${lan}/api/status`);
        statuses.push(response.status);
        if (response.status === 429) limited ??= response;
      }
      expect(statuses).toContain(429);
      expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await limited?.json()).error.code).toBe('RATE_LIMITED');
      // A key has its own bucket.
      expect((await fetch(`${lan}/api/status`, { headers: { authorization: `Bearer ${open.adminKey}` } })).status).toBe(200);
    } finally {
      await open.app.close('test done');
    }
  });
});
