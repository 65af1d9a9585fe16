// Teacher down, stalled past its timeout, or answering garbage: the local model's abstention comes back, within a bounded time.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, type NexusConfig } from '../../edge-config/config-schema.js';
import { testConfig } from '../node/appliance/appliance-harness.js';
import { startInProcess, type InProcessAppliance } from './appliance-in-process.js';

const TIMEOUT_MS = 600;
const TEACHER_KEY = 'sk-teacher-secret-for-reliability-tests';
let dataDir: string;
let t: InProcessAppliance;
let teacher: NexusConfig['teacher'] = defaultConfig().teacher;
const servers: Server[] = [];

/** A loopback teacher whose every request is handled by `handler`. */
async function teacherServer(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'nexus-teacher-'));
  t = await startInProcess(dataDir, {}, { reloadConfig: async () => ({ ...testConfig(dataDir), teacher }) });
});

afterAll(async () => {
  await t?.app.close('test');
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  await rm(dataDir, { recursive: true, force: true });
});

async function askMadeUp(): Promise<{ body: Record<string, unknown>; ms: number; status: number }> {
  const started = performance.now();
  const response = await fetch(`${t.app.lanUrl}/api/interact`, { method: 'POST', body: JSON.stringify({ prompt: 'What does blorvantic mean?' }) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, ms: performance.now() - started };
}

describe('teacher faults', () => {
  const scenarios: Array<{ name: string; url: () => Promise<string> }> = [
    {
      name: 'down (connection refused)',
      url: async () => {
        const url = await teacherServer(() => undefined);
        const server = servers.pop() as Server;
        await new Promise((resolve) => server.close(resolve));
        return url;
      },
    },
    { name: 'stalled past its timeout', url: () => teacherServer(() => undefined) },
    { name: 'stalled mid-body', url: () => teacherServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).write('{"choices":[')) },
    { name: 'returning garbage', url: () => teacherServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('<html>not json</html>')) },
    { name: 'returning JSON of the wrong shape', url: () => teacherServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"choices":[{"message":{"content":42}}]}')) },
    { name: 'returning 500', url: () => teacherServer((_req, res) => res.writeHead(500).end('boom')) },
  ];
  for (const scenario of scenarios) {
    it(`${scenario.name}: the local abstention within the timeout`, async () => {
      teacher = { url: await scenario.url(), model: 'teacher', apiKey: TEACHER_KEY, timeoutMs: TIMEOUT_MS };
      await t.app.reloadConfig();
      const { status, body, ms } = await askMadeUp();
      expect(status).toBe(200);
      expect(body).toMatchObject({ decision: 'abstained', source: 'model' });
      expect(ms).toBeLessThan(TIMEOUT_MS + 3000);
    });
  }

  it('never logs the teacher key', () => {
    expect(t.rawLogs.some((line) => line.includes('teacher.failed') || line.includes('teacher'))).toBe(true);
    expect(t.rawLogs.join('\n')).not.toContain(TEACHER_KEY);
  });
});
