// The level an HTTP error is logged at: a client's mistake is info, an expected refusal warn, an appliance failure error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NexusError } from '../../../runtime/core/nexus-error.js';
import { ApplianceLogger } from '../../../runtime/node/appliance/appliance-logger.js';
import { errorBody } from '../../../runtime/node/http/error-response.js';
import { startTestAppliance, type TestAppliance } from '../appliance/appliance-harness.js';

/** The level errorBody logged `error` at, through a real logger. */
function loggedLevel(error: NexusError): string | undefined {
  const lines: string[] = [];
  errorBody(error, new ApplianceLogger({ level: 'debug', write: (line) => lines.push(line) }));
  return lines.length === 1 ? (JSON.parse(lines[0]) as { level: string }).level : `${lines.length} lines`;
}

describe('errorBody logs by who is at fault', () => {
  it('client errors (4xx) at info, expected refusals at warn, failures of the appliance at error', () => {
    expect(loggedLevel(new NexusError('PROMPT_TOO_LONG', { promptTokens: 600, contextLength: 512, maxPromptTokens: 384 }))).toBe('info');
    expect(loggedLevel(new NexusError('UNAUTHORIZED'))).toBe('info');
    expect(loggedLevel(new NexusError('QUEUE_FULL', { size: 16, retryAfterSeconds: 2 }))).toBe('info');
    expect(loggedLevel(new NexusError('RATE_LIMITED', { retryAfterSeconds: 1 }))).toBe('info');
    expect(loggedLevel(new NexusError('PAUSED'))).toBe('warn');
    expect(loggedLevel(new NexusError('NOT_READY'))).toBe('warn');
    expect(loggedLevel(new NexusError('SHUTTING_DOWN'))).toBe('warn');
    expect(loggedLevel(new NexusError('OVER_BUDGET', { resource: 'memory', used: 3000, budget: 2048 }))).toBe('warn');
    expect(loggedLevel(new NexusError('INFERENCE_FAILED', { reason: 'engine error' }))).toBe('error');
    expect(loggedLevel(new NexusError('CHECKPOINT_WRITE_FAILED', { location: '/data', reason: 'disk full' }))).toBe('error');
  });
});

describe('over a real appliance', () => {
  let t: TestAppliance;
  beforeAll(async () => {
    t = await startTestAppliance();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('a request to a paused appliance is a 503 PAUSED logged at warn, not error', async () => {
    const admin = (action: string) => fetch(`${t.app.adminUrl}/api/control`, { method: 'POST', headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ action }) });
    expect((await admin('pause')).status).toBe(200);
    const response = await fetch(`${t.app.lanUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: [{ role: 'user', content: 'What does river mean?' }], stream: true }) });
    expect(response.status).toBe(503);
    expect((await response.json()) as unknown).toMatchObject({ error: { code: 'PAUSED' } });
    expect((await admin('resume')).status).toBe(200);
    const paused = t.logs.map((line) => JSON.parse(line) as { level: string; code?: string }).filter((line) => line.code === 'PAUSED');
    expect(paused.map((line) => line.level)).toEqual(['warn']);
  });
});
