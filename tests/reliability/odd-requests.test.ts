// Hostile requests: path traversal on static files, oversized and slow-loris bodies, invalid UTF-8, prompts of special tokens.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, type InProcessAppliance } from './appliance-in-process.js';
import { openSocket, parseResponse, rawRequest } from './raw-http.js';

const SECRET = 'SECRET-OUTSIDE-THE-STATIC-ROOT';
const REQUEST_TIMEOUT_MS = 2000;
let root: string;
let t: InProcessAppliance;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'nexus-odd-'));
  const site = join(root, 'site');
  await mkdir(join(site, 'assets'), { recursive: true });
  await writeFile(join(site, 'index.html'), '<!doctype html><title>pwa</title>');
  await writeFile(join(site, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(root, 'secret.txt'), SECRET);
  t = await startInProcess(join(root, 'data'), { limits: { bodyBytes: 64 * 1024, shutdownDeadlineMs: 2000 } }, { staticDir: site, requestTimeoutMs: REQUEST_TIMEOUT_MS });
});

afterAll(async () => {
  await t?.app.close('test');
  await rm(root, { recursive: true, force: true });
});

const get = (path: string) => rawRequest(t.app.lanUrl, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);

describe('static serving of odd paths', () => {
  it('serves the site and nothing outside it, whatever the encoding', async () => {
    expect((await get('/assets/app.js')).status).toBe(200);
    const paths = [
      '/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/%2E%2E%2Fsecret.txt', '/%252e%252e/secret.txt', '/..%2fsecret.txt',
      '/..%5csecret.txt', '/assets\\..\\..\\secret.txt', '/%5c..%5c..%5csecret.txt', '/assets/app.js%00.html', '/%00', '/%', '/%zz', '//secret.txt',
      `/${'../'.repeat(40)}secret.txt`, '/.%2e/secret.txt', '/%c0%ae%c0%ae/secret.txt', `/${'a'.repeat(8000)}`, `/assets/${'%2e%2e/'.repeat(500)}secret.txt`,
    ];
    for (const path of paths) {
      const response = await get(path);
      expect(response.body, path).not.toContain(SECRET);
      expect(response.status, path).toBeGreaterThanOrEqual(200);
      expect(response.status, path).toBeLessThan(500);
    }
    // A URL past Node's header limit is refused by the server itself, not a crash.
    expect((await get(`/${'b'.repeat(20_000)}`)).status).toBe(431);
    expect((await fetch(`${t.app.lanUrl}/live`)).status).toBe(200);
  });
});

describe('bodies', () => {
  it('answers 413 JSON to an oversized body, with or without Content-Length', async () => {
    const big = JSON.stringify({ prompt: 'x'.repeat(100_000) });
    const sized = await fetch(`${t.app.lanUrl}/api/interact`, { method: 'POST', body: big });
    expect(sized.status).toBe(413);
    expect((await sized.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
    const chunked = await rawRequest(t.app.lanUrl, `POST /api/interact HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${big.length.toString(16)}\r\n${big}\r\n0\r\n\r\n`);
    expect(chunked.status).toBe(413);
    const admin = await t.admin('/api/control', { method: 'POST', body: 'x'.repeat(10) });
    expect(admin.status).toBe(400);
  });

  it('times out a slow-loris body while other requests are still served', async () => {
    const socket = await openSocket(t.app.lanUrl);
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(performance.now())));
    const started = performance.now();
    socket.write('POST /api/interact HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{');
    const drip = setInterval(() => socket.writable && socket.write(' '), 1000);
    try {
      // Meanwhile the server answers others at once.
      for (let i = 0; i < 3; i++) {
        const before = performance.now();
        expect((await fetch(`${t.app.lanUrl}/live`)).status).toBe(200);
        expect(performance.now() - before).toBeLessThan(500);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      const end = await Promise.race([closed, new Promise<number>((resolve) => setTimeout(() => resolve(-1), REQUEST_TIMEOUT_MS + 5000))]);
      expect(end, 'the slow request was never timed out').toBeGreaterThan(0);
      expect(end - started).toBeLessThan(REQUEST_TIMEOUT_MS + 3000);
      expect(parseResponse(Buffer.concat(received).toString()).status).toBe(408);
    } finally {
      clearInterval(drip);
      socket.destroy();
    }
    expect(t.app.daemon.queue).toMatchObject({ active: 0, depth: 0 });
  });

  it('handles invalid UTF-8 in JSON bodies without a 5xx', async () => {
    const bodies = [
      Buffer.concat([Buffer.from('{"prompt":"What does '), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82]), Buffer.from(' mean?"}')]),
      Buffer.from([0x7b, 0xc0, 0xaf, 0x7d]),
      Buffer.concat([Buffer.from('{"question":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('","answer":"x"}')]),
    ];
    for (const [i, body] of bodies.entries()) {
      const path = i === 2 ? '/api/teach' : '/api/interact';
      const response = await fetch(`${t.app.lanUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(response.status, body.toString('hex')).toBeLessThan(500);
      const json = await response.json();
      if (response.status >= 400) expect(typeof json.error.code).toBe('string');
    }
  });

  it('answers a prompt made only of special tokens clearly (an answer or a 400), never a crash', async () => {
    const prompts = ['<|end|><|user|>', '<|endoftext|>'.repeat(20), '<|assistant|><|end|><|user|><|assistant|>', '<|im_start|>system\n<|im_end|>'];
    for (const prompt of prompts) {
      for (const [path, body] of [
        ['/api/interact', { prompt }],
        ['/v1/chat/completions', { messages: [{ role: 'user', content: prompt }] }],
        ['/v1/chat/completions', { messages: [{ role: 'system', content: prompt }, { role: 'user', content: prompt }] }],
      ] as const) {
        const response = await fetch(`${t.app.lanUrl}${path}`, { method: 'POST', body: JSON.stringify(body) });
        expect([200, 400], `${path} ${prompt}`).toContain(response.status);
        const json = await response.json();
        if (response.status === 400) expect(json.error.message).toBeTruthy();
      }
    }
    expect((await fetch(`${t.app.lanUrl}/ready`)).status).toBe(200);
  });
});
