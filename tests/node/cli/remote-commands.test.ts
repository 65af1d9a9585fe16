// ask --url, status, health and save against a small stand-in HTTP server speaking the appliance's API contract.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './cli-harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'nexusctl-remote-'));
const adminKey = 'nx_test-admin-key';
let health: { status: string; reasons: string[] } = { status: 'healthy', reasons: [] };
const controls: unknown[] = [];
let server: Server;
let base: string;

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  if (req.url === '/health') return json(res, health.status === 'unhealthy' ? 503 : 200, health);
  if (req.url === '/api/status') return json(res, 200, { state: 'serving', version: '0.1.0', uptimeSeconds: 75, model: { id: 'lexicon-tiny', dtype: 'q8', engine: 'wasm', threads: 1, contextLength: 512 }, queue: { depth: 0, size: 16, active: 0 }, breaker: { state: 'CLOSED' }, health });
  if (req.url === '/api/interact?stream=1') {
    const { prompt } = JSON.parse(body) as { prompt: string };
    if (prompt.trim() === '') return json(res, 400, { error: { code: 'EMPTY_PROMPT', message: 'the prompt is empty: send at least one non-blank message', details: {} } });
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('event: delta\ndata: {"text":"river (noun): a large "}\n\n');
    res.write('event: delta\ndata: {"text":"natural stream of water"}\n\n');
    const done = { response: 'river (noun): a large natural stream of water', confidence: 0.97, decision: 'answered', source: 'model', usage: { promptTokens: 9, completionTokens: 8, totalTokens: 17 }, timings: { ttftMs: 5, decodeTokensPerSecond: 40, totalMs: 20 } };
    return void res.end(`event: done\ndata: ${JSON.stringify(done)}\n\n`);
  }
  if (req.url === '/api/control') {
    if (req.headers.authorization !== `Bearer ${adminKey}`) return json(res, 401, { error: { code: 'UNAUTHORIZED', message: 'missing or invalid API key', details: {} } });
    controls.push(JSON.parse(body));
    return json(res, 200, { ok: true, action: (JSON.parse(body) as { action: string }).action });
  }
  json(res, 404, { error: { code: 'NOT_FOUND', message: `not found: ${req.url}`, details: { what: req.url } } });
}

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  writeFileSync(join(dataDir, 'admin.key'), `${adminKey}\n`, { mode: 0o600 });
  await ensureBuilt();
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('commands that talk to a running appliance', () => {
  it('ask --url streams the SSE answer, and --json gives the summary', async () => {
    const streamed = await runCli(['ask', '--url', base, 'What does river mean?']);
    expect(streamed.code).toBe(0);
    expect(streamed.stdout).toBe('river (noun): a large natural stream of water\n');
    expect(streamed.stderr).toContain('confidence 0.97 · answered · model · 8 tok · 40.0 tok/s');
    const asJson = JSON.parse((await runCli(['ask', '--json', '--url', base, 'What does river mean?'])).stdout) as Record<string, unknown>;
    expect(asJson).toMatchObject({ text: 'river (noun): a large natural stream of water', decision: 'answered', source: 'model' });
  });

  it('an error body becomes one line and its exit code', async () => {
    const result = await runCli(['ask', '--url', base, ' ']);
    expect(result.code).toBe(5);
    expect(result.stderr.trim()).toBe('nexusctl: the prompt is empty: send at least one non-blank message');
  });

  it('status is readable and --json passes the object through', async () => {
    const readable = await runCli(['status', '--url', base, '--data-dir', dataDir]);
    expect(readable.code).toBe(0);
    expect(readable.stdout).toMatch(/state\s+serving/);
    expect(readable.stdout).toMatch(/model\s+lexicon-tiny · q8 · wasm · 1 thread · ctx 512/);
    expect(readable.stdout).toMatch(/breaker\s+closed/);
    const parsed = JSON.parse((await runCli(['status', '--json', '--url', base, '--data-dir', dataDir])).stdout) as { state: string; pid: null };
    expect(parsed).toMatchObject({ state: 'serving', pid: null });
  });

  it('health exits 0 healthy, 1 degraded or unhealthy, 2 unreachable', async () => {
    health = { status: 'healthy', reasons: [] };
    expect((await runCli(['health', '--url', base, '--data-dir', dataDir])).code).toBe(0);
    health = { status: 'degraded', reasons: ['error rate 12 %'] };
    const degraded = await runCli(['health', '--url', base, '--data-dir', dataDir]);
    expect(degraded.code).toBe(1);
    expect(degraded.stdout.trim()).toBe('degraded: error rate 12 %');
    health = { status: 'unhealthy', reasons: ['inference circuit breaker is open'] };
    expect((await runCli(['health', '--url', base, '--data-dir', dataDir])).code).toBe(1);
    expect((await runCli(['health', '--url', 'http://127.0.0.1:9', '--data-dir', dataDir])).code).toBe(2);
  });

  it('pause/resume/save send the control action with the admin key; a wrong key exits 4', async () => {
    for (const action of ['pause', 'resume', 'save']) expect((await runCli([action, '--admin-url', base, '--data-dir', dataDir])).code).toBe(0);
    expect(controls).toEqual([{ action: 'pause' }, { action: 'resume' }, { action: 'save' }]);
    const wrong = await runCli(['save', '--admin-url', base, '--data-dir', dataDir], { env: { NEXUS_ADMIN_KEY: 'nope' } });
    expect(wrong.code).toBe(4);
    expect(wrong.stderr.trim()).toBe(`nexusctl: the admin API at ${base} refused the admin key from NEXUS_ADMIN_KEY: it is not this appliance's (${join(dataDir, 'admin.key')} on the appliance holds the one it wrote at start)`);
    expect((await runCli(['save', '--admin-url', 'http://127.0.0.1:9', '--data-dir', dataDir])).code).toBe(3);
  });
});
