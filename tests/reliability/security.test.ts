// Security: loopback-only admin, hashed keys compared in constant time, no secret in logs, rate limits, headers everywhere, CORS, the systemd unit.
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashKey, readKeyRecords } from '../../runtime/node/appliance/api-keys.js';
import { startAppliance } from '../../runtime/node/appliance/start-appliance.js';
import { testConfig } from '../node/appliance/appliance-harness.js';
import { startInProcess, type InProcessAppliance } from './appliance-in-process.js';

const ALLOWED = 'http://allowed.example:5173';
const CHAT_KEY = 'nx_chat-key-for-reliability-security';
const TEACHER_KEY = 'sk-teacher-key-never-in-logs';
const PER_MINUTE = 5;
let dataDir: string;
let t: InProcessAppliance;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'nexus-security-'));
  t = await startInProcess(
    dataDir,
    {
      cors: { origins: [ALLOWED] },
      rateLimit: { perMinutePerKey: PER_MINUTE, perMinutePerAddress: PER_MINUTE },
      // A teacher that is down: the key is configured and used for a request, and must not leak.
      teacher: { url: 'http://127.0.0.1:9/v1', model: 't', apiKey: TEACHER_KEY, timeoutMs: 500 },
    },
    { staticDir: null },
  );
  const file = join(dataDir, 'keys.json');
  await writeFile(file, JSON.stringify([...(await readKeyRecords(file)), { id: 'chat', name: 'phone', scopes: ['chat'], sha256: hashKey(CHAT_KEY), createdAt: new Date().toISOString() }]));
});

afterAll(async () => {
  await t?.app.close('test');
  await rm(dataDir, { recursive: true, force: true });
});

const expectSecurityHeaders = (response: Response, what: string) => {
  for (const header of ['x-content-type-options', 'referrer-policy', 'x-frame-options', 'content-security-policy', 'cross-origin-opener-policy', 'cross-origin-resource-policy']) {
    expect(response.headers.get(header), `${header} on ${what}`).toBeTruthy();
  }
};

describe('admin API', () => {
  it('binds to loopback only and refuses a non-loopback admin address', async () => {
    expect(new URL(t.app.adminUrl).hostname).toBe('127.0.0.1');
    await expect(startAppliance(testConfig(join(dataDir, 'x'), { adminHost: '0.0.0.0' }), { assistant: t.app.daemon.assistant, staticDir: null })).rejects.toThrow(/loopback/);
    // Even on loopback the admin key is needed, on both servers.
    expect((await fetch(`${t.app.adminUrl}/api/status`)).status).toBe(401);
    expect((await fetch(`${t.app.lanUrl}/api/control`, { method: 'POST', body: '{"action":"pause"}' })).status).toBe(401);
  });
});

describe('keys', () => {
  it('stores only hashes at rest, and keys.json and admin.key are owner-only', async () => {
    const text = await readFile(join(dataDir, 'keys.json'), 'utf8');
    expect(text).not.toContain(t.adminKey);
    expect(text).not.toContain(CHAT_KEY);
    expect(text).toContain(hashKey(t.adminKey));
    const { stat } = await import('node:fs/promises');
    expect((await stat(join(dataDir, 'admin.key'))).mode & 0o077).toBe(0);
  });

  it('compares keys in constant time on the request path', async () => {
    const source = await readFile('runtime/node/appliance/api-keys.ts', 'utf8');
    const verify = source.slice(source.indexOf('async verify('), source.indexOf('private async refresh'));
    expect(verify).toMatch(/timingSafeEqual\(/);
    expect(verify).not.toMatch(/===\s*record\.sha256|record\.sha256\s*===/);
    const auth = await readFile('runtime/node/http/api-auth.ts', 'utf8');
    expect(auth).toMatch(/options\.keys\.verify\(key\)/);
  });
});

describe('rate limits', () => {
  it('per address (anonymous) and per key, each with 429 and Retry-After', async () => {
    const anonymous = [];
    for (let i = 0; i < PER_MINUTE + 2; i++) anonymous.push(await fetch(`${t.app.lanUrl}/v1/models`));
    const limited = anonymous.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(2);
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await limited[0].json()).error.code).toBe('RATE_LIMITED');
    expectSecurityHeaders(limited[0], '429');
    // A key has its own bucket: still served while the address is limited, then limited in turn.
    const keyed = [];
    for (let i = 0; i < PER_MINUTE + 1; i++) keyed.push(await fetch(`${t.app.lanUrl}/api/feedback`, { method: 'POST', headers: { authorization: `Bearer ${CHAT_KEY}` }, body: JSON.stringify({ confidence: 0.5, good: true }) }));
    expect(keyed[0].status).toBe(200);
    expect(keyed[keyed.length - 1].status).toBe(429);
    expect(keyed[keyed.length - 1].headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('headers and CORS', () => {
  it('sends the security headers on every response: 200, 401, 404, 400, 413, SSE, and on the admin API', async () => {
    const responses: Array<[string, Response]> = [
      ['/live', await fetch(`${t.app.lanUrl}/live`)],
      ['/health', await fetch(`${t.app.lanUrl}/health`)],
      ['404', await fetch(`${t.app.lanUrl}/nope/${'x'.repeat(20)}`)],
      ['401', await fetch(`${t.app.lanUrl}/api/control`, { method: 'POST', body: '{}' })],
      ['admin 401', await fetch(`${t.app.adminUrl}/api/status`)],
      ['admin 404', await fetch(`${t.app.adminUrl}/nope`)],
      ['admin 400', await t.control({ action: 'explode' })],
    ];
    const big = await fetch(`${t.app.lanUrl}/api/teach`, { method: 'POST', headers: { authorization: `Bearer ${t.adminKey}` }, body: 'x'.repeat(2_000_000) });
    responses.push(['413', big]);
    const events = new AbortController();
    const sse = await fetch(`${t.app.lanUrl}/api/events`, { headers: { authorization: `Bearer ${t.adminKey}` }, signal: events.signal });
    responses.push(['SSE', sse]);
    for (const [what, response] of responses) expectSecurityHeaders(response, `${what} (${response.status})`);
    expect(big.status).toBe(413);
    events.abort();
  });

  it('answers CORS only for configured origins', async () => {
    const preflight = (origin: string) =>
      fetch(`${t.app.lanUrl}/v1/chat/completions`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
    const allowed = await preflight(ALLOWED);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    for (const origin of ['http://evil.example', 'null', `${ALLOWED}.evil.example`, 'http://allowed.example']) {
      const denied = await preflight(origin);
      expect(denied.headers.get('access-control-allow-origin'), origin).toBeNull();
      const simple = await fetch(`${t.app.lanUrl}/live`, { headers: { origin } });
      expect(simple.headers.get('access-control-allow-origin'), origin).toBeNull();
    }
  });
});

describe('secrets in logs', () => {
  it('logs neither the admin key, a chat key, nor the teacher key after a session that used them all', async () => {
    await t.control({ action: 'save' });
    await t.control({ action: 'reload-config' });
    await fetch(`${t.app.adminUrl}/api/status`, { headers: { authorization: `Bearer ${t.adminKey}x` } });
    await fetch(`${t.app.lanUrl}/api/interact`, { method: 'POST', headers: { authorization: `Bearer ${t.adminKey}` }, body: JSON.stringify({ prompt: 'What does blorvantic mean?' }) });
    const tail = await (await t.admin('/api/logs?tail=1000')).text();
    const everything = `${t.rawLogs.join('\n')}\n${tail}`;
    expect(t.rawLogs.length).toBeGreaterThan(5);
    expect(everything).toMatch(/teacher/);
    for (const secret of [t.adminKey, CHAT_KEY, TEACHER_KEY, hashKey(t.adminKey)]) expect(everything).not.toContain(secret);
  });
});

describe('systemd unit', () => {
  it('runs unprivileged on a read-only system', async () => {
    const unit = await readFile('edge-config/nexus-edge.service', 'utf8');
    const directive = (name: string) => [...unit.matchAll(new RegExp(`^${name}=(.*)$`, 'gm'))].map((m) => m[1].trim());
    expect(directive('User')[0]).toBeTruthy();
    expect(directive('User')[0]).not.toBe('root');
    expect(directive('NoNewPrivileges')).toEqual(['yes']);
    expect(directive('ProtectSystem')).toEqual(['strict']);
    expect(directive('ProtectHome')).toEqual(['yes']);
    expect(directive('PrivateTmp')).toEqual(['yes']);
    expect(directive('CapabilityBoundingSet')).toEqual(['']);
    expect(directive('AmbientCapabilities')).toEqual(['']);
    expect(directive('ReadWritePaths')[0].split(/\s+/).every((path) => /^-?\/(var\/lib\/nexus-edge|opt\/nexus-edge\/models)$/.test(path))).toBe(true);
    expect(directive('UMask')).toEqual(['0077']);
  });
});
