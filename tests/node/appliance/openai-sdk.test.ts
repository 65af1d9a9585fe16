// The official openai SDK, unchanged, against the appliance: chat, gate field, streaming, abort, and service afterwards.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAppliance, type TestAppliance } from './appliance-harness.js';

let t: TestAppliance;
let client: OpenAI;

type NexusField = { nexus?: { confidence: number; decision: string; source: string; truncated: boolean } };

beforeAll(async () => {
  t = await startTestAppliance();
  client = new OpenAI({ baseURL: `${t.app.lanUrl}/v1`, apiKey: 'not-needed-on-loopback', maxRetries: 0 });
});

afterAll(async () => {
  await t?.stop();
});

async function waitForIdle(): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (t.app.daemon.queue.active === 0 && t.app.daemon.queue.depth === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the generation slot was not freed');
}

describe('openai SDK', () => {
  it('lists the model', async () => {
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toContain('lexicon-tiny');
  });

  it('chats: a known word is answered, a made-up word abstained, with the gate in `nexus`', async () => {
    const known = await client.chat.completions.create({ model: 'lexicon-tiny', messages: [{ role: 'user', content: 'What does harbor mean?' }], max_tokens: 32 });
    expect(known.choices[0].message.content).toMatch(/harbor/i);
    expect(known.usage?.completion_tokens).toBeGreaterThan(0);
    expect((known as NexusField).nexus).toMatchObject({ decision: 'answered', source: 'model' });
    const made = await client.chat.completions.create({ model: 'lexicon-tiny', messages: [{ role: 'user', content: 'What does blorvantic mean?' }] });
    expect((made as NexusField).nexus?.decision).toBe('abstained');
    expect((made as NexusField).nexus?.confidence).toBeLessThan(1);
  });

  it('streams chunks, the first with the role and the first text, ending with the gate result and usage', async () => {
    const stream = await client.chat.completions.create({ model: 'lexicon-tiny', messages: [{ role: 'user', content: 'What does harbor mean?' }], stream: true, temperature: 0, seed: 7 });
    let text = '';
    const deltas: OpenAI.Chat.Completions.ChatCompletionChunk.Choice.Delta[] = [];
    let last: (OpenAI.Chat.Completions.ChatCompletionChunk & NexusField) | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      deltas.push(chunk.choices[0]?.delta ?? {});
      last = chunk;
    }
    expect(deltas[0].role).toBe('assistant');
    expect(deltas[0].content).not.toBe('');
    expect(deltas.slice(1).some((delta) => delta.role)).toBe(false);
    expect(text).toMatch(/harbor/i);
    expect(last?.choices[0].finish_reason).toBe('stop');
    expect(last?.nexus).toMatchObject({ decision: 'answered', source: 'model' });
    expect(last?.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('aborts a stream mid-way, frees the slot, and serves the next request', async () => {
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      // One of lexicon-tiny's longest answers (~40 tokens), so there is an answer left to abort.
      { model: 'lexicon-tiny', messages: [{ role: 'user', content: 'What does english mean?' }], stream: true, max_tokens: 200 },
      { signal: controller.signal },
    );
    let chunks = 0;
    let finished = false;
    for await (const chunk of stream) {
      // The first chunk comes with the first text the gate lets out, 12 tokens in: abort there.
      if (++chunks === 1) controller.abort();
      if (chunk.choices[0]?.finish_reason) finished = true;
    }
    expect(finished).toBe(false);
    await waitForIdle();
    expect(t.logs.some((line) => line.includes('"event":"generation.aborted"'))).toBe(true);
    const next = await client.chat.completions.create({ model: 'lexicon-tiny', messages: [{ role: 'user', content: 'What does harbor mean?' }] });
    expect((next as NexusField).nexus?.decision).toBe('answered');
  });

  it('maps a bad parameter to a 400 the SDK reports', async () => {
    await expect(client.chat.completions.create({ model: 'lexicon-tiny', messages: [] })).rejects.toMatchObject({ status: 400 });
  });
});
