// Admin API model control on a running appliance: use-model without a restart, recalibrate from feedback, bad model refused.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAppliance, type TestAppliance } from './appliance-harness.js';

const tinyLlama = fileURLToPath(new URL('../../fixtures/models/tiny-llama', import.meta.url));

describe('admin API: models and calibration', () => {
  let appliance: TestAppliance;
  const admin = (body: unknown) =>
    fetch(`${appliance.app.adminUrl}/api/control`, { method: 'POST', headers: { authorization: `Bearer ${appliance.adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const status = async () => (await (await fetch(`${appliance.app.lanUrl}/api/status`)).json()) as { state: string; model: { id: string; dtype: string } };
  const interact = async (prompt: string) => (await (await fetch(`${appliance.app.lanUrl}/api/interact`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt }) })).json()) as { response: string; decision: string };

  beforeAll(async () => {
    appliance = await startTestAppliance();
  });
  afterAll(() => appliance?.stop());

  it('switches to another dtype and another model directory without a restart', async () => {
    expect((await status()).model).toMatchObject({ id: 'lexicon-tiny', dtype: 'q8' });
    const q4 = await admin({ action: 'use-model', model: 'lexicon-tiny', dtype: 'q4' });
    expect(q4.status).toBe(200);
    expect((await status()).model).toMatchObject({ id: 'lexicon-tiny', dtype: 'q4' });
    expect((await interact('What does river mean?')).response).toBe('river (noun): a large natural stream of water (larger than a creek).');

    const fixture = await admin({ action: 'use-model', model: tinyLlama, dtype: 'fp32' });
    expect(fixture.status).toBe(200);
    expect((await status()).model).toMatchObject({ id: 'tiny-llama', dtype: 'fp32' });
  });

  it('refuses a model that does not exist with a clear error and keeps serving the current one', async () => {
    const before = (await status()).model;
    const response = await admin({ action: 'use-model', model: '/nonexistent/model', dtype: 'q8' });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('MODEL_NOT_FOUND');
    expect(body.error.message).toMatch(/nonexistent/);
    expect((await status()).model).toEqual(before);
    expect((await status()).state).toBe('serving');
  });

  it('recalibrates the gate from user feedback when the model has no eval sets', async () => {
    for (const [confidence, good] of [[0.95, true], [0.9, true], [0.85, true], [0.3, false], [0.2, false], [0.1, false]] as const) {
      const response = await fetch(`${appliance.app.lanUrl}/api/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ confidence, good }) });
      expect(response.status).toBe(200);
    }
    const response = await admin({ action: 'recalibrate' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { report: { from: string; threshold: number; answerRate: number; abstainRate: number } };
    expect(body.report.from).toBe('feedback');
    expect(body.report.threshold).toBeGreaterThan(0.3);
    expect(body.report.threshold).toBeLessThanOrEqual(0.85);
    expect(body.report.answerRate).toBe(1);
    expect(body.report.abstainRate).toBe(1);
  });
});
