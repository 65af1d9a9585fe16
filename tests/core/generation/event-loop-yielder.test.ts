// EventLoopYielder: turns are given only when due, let messages and timers run, and make a generation abortable from I/O.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventLoopYielder } from '../../../runtime/core/generation/event-loop-yielder.js';
import { generate } from '../../../runtime/core/generation/generate.js';
import { buildPrompt } from '../../../runtime/core/generation/prompt-builder.js';
import type { GenerationResult } from '../../../runtime/core/generation/generation-types.js';
import type { LanguageModel } from '../../../runtime/core/model/language-model.js';
import { lexiconModel } from '../../support/lexicon-model.js';

/** Posts a message now; `seen()` says whether its handler has run (a stand-in for a socket event). */
function pendingMessage(onMessage: () => void = () => {}): { seen: () => boolean } {
  let seen = false;
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    seen = true;
    channel.port1.close();
    onMessage();
  };
  channel.port2.postMessage(null);
  return { seen: () => seen };
}

describe('EventLoopYielder', () => {
  it('gives no turn before 25 ms have passed', async () => {
    let now = 0;
    const yielder = new EventLoopYielder(() => now);
    const message = pendingMessage();
    now = 24;
    await yielder.maybeYield();
    expect(message.seen()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 0));
  });

  it('in Node, turns are setImmediate: pending messages and due timers run within two turns', async () => {
    let now = 0;
    const yielder = new EventLoopYielder(() => now);
    const message = pendingMessage();
    let timerFired = false;
    setTimeout(() => (timerFired = true), 0);
    busyWait(3); // the timer is due (Node clamps 0 to 1 ms)
    // The first immediate may run in the current loop iteration's check phase; the second is a whole iteration.
    now = 30;
    await yielder.maybeYield();
    now = 60;
    await yielder.maybeYield();
    expect(message.seen()).toBe(true);
    expect(timerFired).toBe(true);
  });

  it('with firstCallTurns, turns at the first call, then once the given interval has passed', async () => {
    let now = 100;
    let turns = 0;
    vi.stubGlobal('setImmediate', (callback: () => void) => {
      turns++;
      return globalThis.queueMicrotask(callback);
    });
    try {
      const yielder = new EventLoopYielder(() => now, { turnIntervalMs: 4, firstCallTurns: true });
      await yielder.maybeYield();
      expect(turns).toBe(1);
      now = 103;
      await yielder.maybeYield();
      expect(turns).toBe(1);
      now = 104;
      await yielder.maybeYield();
      expect(turns).toBe(2);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  describe('where there is no setImmediate (browsers, workers)', () => {
    beforeEach(() => vi.stubGlobal('setImmediate', undefined));
    afterEach(() => vi.unstubAllGlobals());

    it('lets pending messages run once a turn is due, and timers every 500 ms', async () => {
      let now = 0;
      const yielder = new EventLoopYielder(() => now);
      const message = pendingMessage();
      now = 30;
      await yielder.maybeYield();
      expect(message.seen()).toBe(true);

      let timerFired = false;
      setTimeout(() => (timerFired = true), 0);
      now = 600;
      await yielder.maybeYield();
      expect(timerFired).toBe(true);
    });
  });
});

/** Spins for `ms` without giving the event loop a turn. */
function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

describe('generate gives the event loop turns', () => {
  let model: LanguageModel;
  beforeAll(async () => {
    model = await lexiconModel();
  });

  it('sees an abort raised by an event (not by the consumer) during a generation', async () => {
    const controller = new AbortController();
    pendingMessage(() => controller.abort());
    const promptIds = buildPrompt(model.tokenizer, [{ role: 'user', content: 'What does river mean?' }], { contextLength: model.contextLength, reserveForAnswer: 256 }).ids;
    let tokens = 0;
    let result: GenerationResult | undefined;
    for await (const event of generate(model, { promptIds, maxTokens: 256, ignoreEos: true, signal: controller.signal })) {
      if (event.type === 'token') tokens++;
      else result = event.result;
    }
    expect(result?.finishReason).toBe('aborted');
    expect(tokens).toBeLessThan(256);
  });
});
