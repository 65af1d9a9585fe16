// A prompt the model cannot take is the same HTTP 400 streamed or not (no 200 whose stream carries the error), over a real appliance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAppliance, type TestAppliance } from '../appliance/appliance-harness.js';

let t: TestAppliance;

beforeAll(async () => {
  // A small window so that a paragraph is too long for it; answers reserve generation.maxTokens (24).
  t = await startTestAppliance({ contextLength: 64 });
});
afterAll(async () => {
  await t?.stop();
});

const post = (path: string, body: unknown) => fetch(`${t.app.lanUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const tooLong = Array.from({ length: 80 }, (_, i) => `river${i}`).join(' ');
const chat = (content: string, stream: boolean, system?: string) => ({ messages: [...(system ? [{ role: 'system', content: system }] : []), { role: 'user', content }], stream });

/** The refusal as a client sees it: status, content type and the JSON error. */
async function refusal(response: Response) {
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as { error: { code: string; message: string } } };
}

describe('a prompt too long for the context window', () => {
  it('streamed /v1/chat/completions answers the same 400 JSON as the plain request, before any SSE (unless memory answers)', async () => {
    const plain = await refusal(await post('/v1/chat/completions', chat(tooLong, false)));
    expect(plain).toMatchObject({ status: 400, body: { error: { code: 'PROMPT_TOO_LONG' } } });
    const streamed = await refusal(await post('/v1/chat/completions', chat(tooLong, true)));
    expect(streamed.status).toBe(400);
    expect(streamed.type).toMatch(/^application\/json/);
    expect(streamed.body).toEqual(plain.body);

    // A question answered from memory needs no prompt: it still streams, however long the conversation.
    expect((await post('/api/teach', { question: 'What is a blorv?', answer: 'a made-up word' })).status).toBe(200);
    const response = await post('/v1/chat/completions', chat('What is a blorv?', true, tooLong));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await response.text()).toContain('a made-up word');
    // A lookup refreshes the entry; the check before the stream must not count as one.
    const entry = t.app.daemon.assistant!.memory.entries().find((candidate) => candidate.answer === 'a made-up word');
    expect(entry?.hits).toBe(1);
  });

  it('streamed /api/interact?stream=1 answers the same 400 JSON as the plain request', async () => {
    const plain = await refusal(await post('/api/interact', { prompt: tooLong }));
    expect(plain).toMatchObject({ status: 400, body: { error: { code: 'PROMPT_TOO_LONG' } } });
    const streamed = await refusal(await post('/api/interact?stream=1', { prompt: tooLong }));
    expect(streamed).toMatchObject({ status: 400, body: plain.body });
    expect(streamed.type).toMatch(/^application\/json/);
  });

  it('an empty prompt streamed is a 400 EMPTY_PROMPT too', async () => {
    const streamed = await refusal(await post('/v1/chat/completions', chat('   ', true)));
    expect(streamed).toMatchObject({ status: 400, body: { error: { code: 'EMPTY_PROMPT' } } });
    const interact = await refusal(await post('/api/interact?stream=1', { prompt: '  ' }));
    expect(interact).toMatchObject({ status: 400, body: { error: { code: 'EMPTY_PROMPT' } } });
  });

  it('never opens the inference breaker nor degrades health: prompts the model cannot take say nothing about the appliance', async () => {
    for (let i = 0; i < 12; i++) expect((await post('/api/interact', { prompt: tooLong })).status).toBe(400);
    const answered = await post('/api/interact', { prompt: 'What does river mean?' });
    expect(answered.status).toBe(200);
    expect(t.app.daemon.breaker.state).toBe('CLOSED');
    // Nor do they degrade the appliance's health: a refusal rate measures overload, not bad input.
    expect(await (await fetch(`${t.app.lanUrl}/health`)).json()).toMatchObject({ status: 'healthy' });
  });

  it('is logged as the client\'s mistake (info), not as an appliance error', async () => {
    await post('/v1/chat/completions', chat(tooLong, true));
    await post('/v1/chat/completions', chat(tooLong, false));
    const lines = t.logs.map((line) => JSON.parse(line) as { level: string; event: string; code?: string });
    const refusals = lines.filter((line) => line.code === 'PROMPT_TOO_LONG');
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.filter((line) => line.level === 'error')).toEqual([]);
    expect(refusals.every((line) => line.level === 'info')).toBe(true);
    expect(refusals.map((line) => line.event)).toContain('http.error');
  });
});
