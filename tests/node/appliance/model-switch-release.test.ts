// A model switch (models use) releases the session it replaces: at once when idle, after the last answer begun on it otherwise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LanguageModel } from '../../../runtime/core/model/language-model.js';
import { ModelRetirement } from '../../../runtime/node/appliance/model-retirement.js';
import { startTestAppliance, type TestAppliance } from './appliance-harness.js';

describe('models use on a running appliance', () => {
  let t: TestAppliance;
  beforeAll(async () => {
    t = await startTestAppliance();
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('releases the replaced model’s session, and answers on the new one', async () => {
    const daemon = t.app.daemon;
    const replaced = daemon.ready().model;
    await expect(replaced.lm.newSequence().step([1, 2, 3])).resolves.toHaveLength(replaced.config.vocabSize);
    await daemon.useModel('lexicon-tiny', 'q8');
    expect(daemon.ready().model).not.toBe(replaced);
    await expect(replaced.lm.newSequence().step([1, 2, 3])).rejects.toThrow();
    const answer = await daemon.generate({ messages: [{ role: 'user', content: 'What does river mean?' }] });
    expect(answer.text).toContain('river (noun)');
  });
});

describe('ModelRetirement', () => {
  function model(): LanguageModel & { released: number } {
    const fake = { released: 0, lm: { release: async () => void fake.released++ } };
    return fake as unknown as LanguageModel & { released: number };
  }

  it('releases a retired model once the last generation begun on it ends, and one nobody uses at once', () => {
    const retirement = new ModelRetirement();
    const busy = model();
    const first = retirement.use(busy);
    const second = retirement.use(busy);
    retirement.retire(busy);
    first();
    first();
    expect(busy.released).toBe(0);
    second();
    expect(busy.released).toBe(1);
    const idle = model();
    retirement.retire(idle);
    expect(idle.released).toBe(1);
    // A model in use that is not retired is never released when its generations end.
    const current = model();
    retirement.use(current)();
    expect(current.released).toBe(0);
  });
});
