// fast-check over every body, query and header the LAN and admin APIs accept: never a 5xx, always JSON 4xx with error.code; plus the checkpoint decoder.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '../../runtime/core/checkpoint/checkpoint-codec.js';
import { isNexusError } from '../../runtime/core/nexus-error.js';
import { startInProcess, type InProcessAppliance } from './appliance-in-process.js';
import { authorizationHeader, chatBody, controlBody, feedbackBody, interactBody, rawBody, teachBody } from './fuzz-arbitraries.js';

const RUNS = Number(process.env.NEXUS_FUZZ_RUNS ?? 60);
let dataDir: string;
let t: InProcessAppliance;
const tried: Record<string, number> = {};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'nexus-fuzz-'));
  t = await startInProcess(dataDir, { generation: { ...(await import('../../edge-config/config-schema.js')).defaultConfig().generation, maxTokens: 6 } });
});

afterAll(async () => {
  await t?.app.close('test');
  await rm(dataDir, { recursive: true, force: true });
  const total = Object.values(tried).reduce((sum, n) => sum + n, 0);
  console.log(`[reliability] fuzz: ${total} inputs tried — ${Object.entries(tried).map(([name, n]) => `${name} ${n}`).join(', ')}`);
});

/** Sends one request and checks the invariant: < 500, and a JSON body with error.code when ≥ 400. */
async function check(name: string, url: string, init: RequestInit): Promise<void> {
  tried[name] = (tried[name] ?? 0) + 1;
  const response = await fetch(url, init);
  const text = await response.text();
  expect(response.status, `${name}: ${String(init.body).slice(0, 200)} → ${text.slice(0, 300)}`).toBeLessThan(500);
  if (response.status >= 400) {
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(typeof (JSON.parse(text) as { error: { code: unknown } }).error.code).toBe('string');
  }
  expect(t.app.daemon.state).toBe('serving');
}

const post = (body: string | Uint8Array, headers: Record<string, string> = {}): RequestInit => ({ method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers: { 'content-type': 'application/json', ...headers } });

describe('HTTP fuzz (LAN API)', () => {
  const lanRoutes: Array<[string, string, fc.Arbitrary<Record<string, unknown>>]> = [
    ['chat', '/v1/chat/completions', chatBody],
    ['interact', '/api/interact', interactBody],
    ['teach', '/api/teach', teachBody],
    ['feedback', '/api/feedback', feedbackBody],
  ];
  for (const [name, path, shape] of lanRoutes) {
    it(`POST ${path}`, async () => {
      await fc.assert(fc.asyncProperty(rawBody(shape), async (body) => check(name, `${t.app.lanUrl}${path}`, post(body))), { numRuns: RUNS });
    }, 120_000);
  }

  it('?stream values on /api/interact', async () => {
    const value = fc.oneof(fc.constantFrom('1', 'true', '0', 'false', '', 'yes', '%00', '%ZZ', '1&stream=0'), fc.string({ maxLength: 12 }).map(encodeURIComponent));
    await fc.assert(fc.asyncProperty(value, async (stream) => check('stream-query', `${t.app.lanUrl}/api/interact?stream=${stream}`, post(JSON.stringify({ prompt: 'What does harbor mean?', options: { maxTokens: 3 } })))), { numRuns: RUNS });
  }, 120_000);

  it('Authorization headers on the LAN API', async () => {
    await fc.assert(fc.asyncProperty(authorizationHeader, async (authorization) => check('lan-authorization', `${t.app.lanUrl}/api/status`, { headers: { authorization } })), { numRuns: RUNS });
  }, 120_000);
});

describe('HTTP fuzz (admin API)', () => {
  const adminInit = (init: RequestInit): RequestInit => ({ ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${t.adminKey}` } });

  it('POST /api/control', async () => {
    await fc.assert(fc.asyncProperty(rawBody(controlBody), async (body) => check('control', `${t.app.adminUrl}/api/control`, adminInit(post(body)))), { numRuns: RUNS });
  }, 120_000);

  it('checkpoint upload with random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => check('checkpoint-upload', `${t.app.adminUrl}/api/checkpoints`, adminInit({ method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' } }))),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('checkpoint ids in the path', async () => {
    const id = fc.oneof(fc.string({ maxLength: 40 }).map(encodeURIComponent), fc.constantFrom('..%2F..%2Fkeys.json', '%2e%2e', 'checkpoint-000000000000001-000000.nxck', '..%5Cadmin.key'));
    await fc.assert(fc.asyncProperty(id, async (checkpointId) => check('checkpoint-id', `${t.app.adminUrl}/api/checkpoints/${checkpointId}`, adminInit({}))), { numRuns: RUNS });
  }, 120_000);

  it('Authorization headers on the admin API: never a 5xx, never let in', async () => {
    await fc.assert(
      fc.asyncProperty(authorizationHeader, async (authorization) => {
        await check('admin-authorization', `${t.app.adminUrl}/api/status`, { headers: { authorization } });
        expect((await fetch(`${t.app.adminUrl}/api/status`, { headers: { authorization } })).status).toBe(401);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});

/** Frames `inner` as a checkpoint with the right magic and a valid SHA-256, so the parser behind the digest is what gets tested. */
function framed(version: number, inner: Uint8Array): Uint8Array {
  const body = new Uint8Array(6 + inner.length);
  body.set([0x4e, 0x58, 0x43, 0x4b]);
  new DataView(body.buffer).setUint16(4, version);
  body.set(inner, 6);
  return new Uint8Array([...body, ...createHash('sha256').update(body).digest()]);
}

describe('checkpoint decoder fuzz', () => {
  it('random bytes, and random content behind a valid digest: only CHECKPOINT_CORRUPT or CHECKPOINT_VERSION_UNSUPPORTED', async () => {
    const input = fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.tuple(fc.integer({ min: 0, max: 4 }), fc.uint8Array({ maxLength: 300 })).map(([version, inner]) => framed(version, inner)));
    await fc.assert(
      fc.asyncProperty(input, async (bytes) => {
        tried['checkpoint-decoder'] = (tried['checkpoint-decoder'] ?? 0) + 1;
        try {
          await decodeCheckpoint(bytes);
        } catch (error) {
          expect(isNexusError(error, 'CHECKPOINT_CORRUPT') || isNexusError(error, 'CHECKPOINT_VERSION_UNSUPPORTED'), String(error)).toBe(true);
        }
      }),
      { numRuns: RUNS * 10 },
    );
  });
});
