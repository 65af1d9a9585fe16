// The daemon gives the event loop a turn right after an answer's first text (so it leaves the socket at once) and then every few ms, not after every token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAppliance, type TestAppliance } from './appliance-harness.js';

let t: TestAppliance;

beforeAll(async () => {
  // WASM, the default engine: its steps resolve in microtasks, so only the daemon's and the core's turns let macrotasks run.
  t = await startTestAppliance({ backend: 'wasm' });
});

afterAll(async () => {
  await t?.stop();
});

describe('daemon event-loop turns during a streamed answer', () => {
  it('runs a macrotask queued at the first delta before the second delta', async () => {
    const deltas: string[] = [];
    let deltasWhenImmediateRan: number | undefined;
    const answer = await t.app.daemon.generate(
      { prompt: 'What does harbor mean?', maxTokens: 48 },
      {
        onDelta: (text) => {
          deltas.push(text);
          if (deltas.length === 1) setImmediate(() => (deltasWhenImmediateRan = deltas.length));
        },
      },
    );
    expect(answer.decision).toBe('answered');
    expect(deltas.length, JSON.stringify(deltas)).toBeGreaterThan(2);
    expect(deltasWhenImmediateRan).toBe(1);
  });

  it('sees a disconnect mid-answer and stops generating', async () => {
    const abort = new AbortController();
    let deltas = 0;
    const generation = t.app.daemon.generate(
      { prompt: 'What does harbor mean?', maxTokens: 48, signal: abort.signal },
      {
        onDelta: () => {
          // Aborted from a macrotask, as a socket's close event would be.
          if (++deltas === 2) setImmediate(() => abort.abort());
        },
      },
    );
    await expect(generation).rejects.toMatchObject({ code: 'ABORTED' });
    expect(deltas).toBeLessThan(12);
  });
});
