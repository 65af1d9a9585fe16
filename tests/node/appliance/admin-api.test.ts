// Admin API: loopback only, admin key required, control actions, logs, and checkpoint list/download/verify/upload.
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '../../../runtime/core/checkpoint/checkpoint-codec.js';
import { hashKey, readKeyRecords } from '../../../runtime/node/appliance/api-keys.js';
import { startAppliance } from '../../../runtime/node/appliance/start-appliance.js';
import { startTestAppliance, testConfig, type TestAppliance } from './appliance-harness.js';

let t: TestAppliance;
const readerKey = 'nx_reader-key-for-tests';

beforeAll(async () => {
  t = await startTestAppliance();
  const file = join(t.dataDir, 'keys.json');
  const records = await readKeyRecords(file);
  await writeFile(file, JSON.stringify([...records, { id: 'reader', name: 'dashboard', scopes: ['read'], sha256: hashKey(readerKey), createdAt: new Date().toISOString() }]));
});

afterAll(async () => {
  await t?.stop();
});

const admin = (path: string, init: RequestInit = {}, key = t.adminKey) =>
  fetch(`${t.app.adminUrl}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
const control = (action: string, key?: string) => admin('/api/control', { method: 'POST', body: JSON.stringify({ action }) }, key);
const ask = () => fetch(`${t.app.lanUrl}/api/interact`, { method: 'POST', body: JSON.stringify({ prompt: 'What does harbor mean?' }) });

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 }, () => (socket.destroy(), resolve(true)));
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => (socket.destroy(), resolve(false)));
  });
}

describe('admin bind address', () => {
  it('refuses to start on a non-loopback admin address without the force flag', async () => {
    const config = testConfig(join(t.dataDir, 'never'), { adminHost: '0.0.0.0' });
    await expect(startAppliance(config, { assistant: t.app.daemon.assistant, staticDir: null })).rejects.toThrow(/adminHost.*loopback.*allowNonLoopbackAdmin/s);
  });

  it('binds the admin server to 127.0.0.1 only', async () => {
    const admin = new URL(t.app.adminUrl);
    expect(admin.hostname).toBe('127.0.0.1');
    expect(await canConnect('127.0.0.1', Number(admin.port))).toBe(true);
    const external = Object.values(networkInterfaces()).flat().find((entry) => entry && entry.family === 'IPv4' && !entry.internal);
    if (external) expect(await canConnect(external.address, Number(admin.port))).toBe(false);
  });
});

describe('admin auth', () => {
  it('answers 401 without a key or with a wrong one, 403 without the admin scope', async () => {
    expect((await fetch(`${t.app.adminUrl}/api/status`)).status).toBe(401);
    const wrong = await control('pause', 'nx_wrong');
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.code).toBe('UNAUTHORIZED');
    const reader = await control('pause', readerKey);
    expect(reader.status).toBe(403);
    expect((await reader.json()).error).toMatchObject({ code: 'FORBIDDEN', details: { scope: 'admin' } });
    // The LAN copy of /api/control needs the admin key too, even from loopback.
    const lan = await fetch(`${t.app.lanUrl}/api/control`, { method: 'POST', body: JSON.stringify({ action: 'pause' }) });
    expect(lan.status).toBe(401);
    expect(t.app.daemon.state).toBe('serving');
    expect((await admin('/api/status')).status).toBe(200);
  });

  it('answers 400 naming the problem for bad JSON and a bad action', async () => {
    const badJson = await admin('/api/control', { method: 'POST', body: '{"action":' });
    expect(badJson.status).toBe(400);
    const error = (await badJson.json()).error;
    expect(error).toMatchObject({ code: 'BAD_REQUEST', details: { field: 'body' } });
    expect(error.message).toMatch(/invalid JSON/);
    const badAction = await control('explode');
    expect(badAction.status).toBe(400);
    expect((await badAction.json()).error.details.field).toBe('action');
  });
});

describe('control', () => {
  it('pauses (503 PAUSED) and resumes', async () => {
    expect(await (await control('pause')).json()).toMatchObject({ ok: true, state: 'paused' });
    const paused = await ask();
    expect(paused.status).toBe(503);
    expect((await paused.json()).error.code).toBe('PAUSED');
    expect(await (await control('resume')).json()).toMatchObject({ ok: true, state: 'serving' });
    expect((await ask()).status).toBe(200);
  });

  it('saves a checkpoint to disk, lists, downloads and verifies it', async () => {
    const saved = await (await control('save')).json();
    expect(saved.ok).toBe(true);
    expect(await readdir(join(t.dataDir, 'checkpoints'))).toContain(saved.checkpoint.id);
    const list = await (await admin('/api/checkpoints')).json();
    expect(list.checkpoints[0].id).toBe(saved.checkpoint.id);
    expect(list.lastId).toBe(saved.checkpoint.id);
    const download = await admin(`/api/checkpoints/${saved.checkpoint.id}`);
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect((await download.arrayBuffer()).byteLength).toBe(saved.checkpoint.sizeBytes);
    expect(await (await admin(`/api/checkpoints/${saved.checkpoint.id}/verify`, { method: 'POST' })).json()).toMatchObject({ ok: true });
    expect((await admin('/api/checkpoints/checkpoint-nope.nxck')).status).toBe(404);
  });

  it('refuses a corrupt upload with 400 and leaves the state as it was; applies a good one', async () => {
    await fetch(`${t.app.lanUrl}/api/teach`, { method: 'POST', body: JSON.stringify({ question: 'What is zorp?', answer: 'A test word.' }) });
    const good = new Uint8Array(await (await fetch(`${t.app.lanUrl}/api/checkpoint/latest`)).arrayBuffer());
    const entries = t.app.daemon.assistant?.memory.size;
    const corrupt = good.slice();
    corrupt[corrupt.length - 5] ^= 0xff;
    for (const body of [corrupt, new TextEncoder().encode('not a checkpoint')]) {
      const response = await admin('/api/checkpoints', { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' } });
      expect(response.status).toBe(400);
      expect((await response.json()).error.message).toMatch(/checkpoint/i);
    }
    expect(t.app.daemon.assistant?.memory.size).toBe(entries);
    const uploaded = await admin('/api/checkpoints', { method: 'POST', body: good, headers: { 'content-type': 'application/octet-stream' } });
    expect(uploaded.status).toBe(200);
    expect((await uploaded.json()).restore.restored).toContain('memory');
    expect(t.app.daemon.assistant?.memory.lookup('What is zorp?')?.answer).toBe('A test word.');
  });

  it('adds an uploaded checkpoint to what the appliance learned since, and stores the result, not the file', async () => {
    const teach = (question: string, answer: string) => fetch(`${t.app.lanUrl}/api/teach`, { method: 'POST', body: JSON.stringify({ question, answer }) });
    await teach('What is a quillet?', 'A subtle distinction.');
    const older = new Uint8Array(await (await fetch(`${t.app.lanUrl}/api/checkpoint/latest`)).arrayBuffer());
    await teach('What is a fribble?', 'A frivolous thing, taught after the export.');
    const before = t.app.daemon.assistant?.memory.size ?? 0;
    const uploaded = await admin('/api/checkpoints', { method: 'POST', body: older, headers: { 'content-type': 'application/octet-stream' } });
    expect(uploaded.status).toBe(200);
    const body = (await uploaded.json()) as { stored: { id: string }; memory: { before: number; after: number } };
    expect(body.memory).toEqual({ before, after: before });
    const memory = t.app.daemon.assistant?.memory;
    expect(memory?.lookup('What is a fribble?')?.answer).toBe('A frivolous thing, taught after the export.');
    expect(memory?.lookup('What is a quillet?')?.answer).toBe('A subtle distinction.');
    const list = (await (await admin('/api/checkpoints')).json()) as { checkpoints: { id: string }[] };
    expect(list.checkpoints[0].id).toBe(body.stored.id);
    const stored = new Uint8Array(await (await admin(`/api/checkpoints/${body.stored.id}`)).arrayBuffer());
    expect(Buffer.from(stored).equals(Buffer.from(older))).toBe(false);
    const sections = (await decodeCheckpoint(stored)).sections as { memory: { entries: { question: string }[] } };
    expect(sections.memory.entries.map((entry) => entry.question)).toEqual(expect.arrayContaining(['What is a fribble?', 'What is a quillet?']));
  });

  it('serves the log tail', async () => {
    const { lines } = await (await admin('/api/logs?tail=5')).json();
    expect(lines).toHaveLength(5);
    expect(lines[0]).toHaveProperty('event');
    expect(lines[0]).toHaveProperty('time');
  });
});
