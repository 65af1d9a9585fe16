// A model name that is neither a registry id nor a model directory is "unknown model", listing the ids installed and to pull.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNexusError, type NexusError } from '../../../runtime/core/nexus-error.js';
import { resolveModelDirectory } from '../../../runtime/node/resolve-model-directory.js';
import { startTestAppliance, type TestAppliance } from '../appliance/appliance-harness.js';
import { ensureBuilt, runCli } from '../cli/cli-harness.js';

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'nexus-unknown-model-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function resolveError(model: string): Promise<NexusError> {
  const error = await resolveModelDirectory(model, join(scratch, 'models')).catch((caught: unknown) => caught);
  expect(isNexusError(error)).toBe(true);
  return error as NexusError;
}

describe('resolveModelDirectory', () => {
  it('an unknown name says so and lists the installed ids and those to pull; a missing path stays "model file not found"', async () => {
    const unknown = await resolveError('nope');
    expect(unknown.code).toBe('INVALID_OPTION');
    expect(unknown.message).toMatch(/^\[model\] unknown model "nope": not a registry id/);
    expect(unknown.message).toContain('installed: lexicon-tiny');
    expect(unknown.message).toMatch(/to pull \(nexusctl models pull <id>\): .*smollm2-135m-instruct/);
    expect(unknown.message).not.toContain('config.json');
    expect(unknown.details).toMatchObject({ key: 'model', installed: ['lexicon-tiny'] });

    const path = await resolveError('/nonexistent/model');
    expect(path.code).toBe('MODEL_NOT_FOUND');
    expect(path.message).toBe('model file not found: /nonexistent/model/config.json');
    const notPulled = await resolveError('smollm2-135m-instruct');
    expect(notPulled.message).toContain('nexusctl models pull smollm2-135m-instruct');
  });
});

describe('the user report', () => {
  let t: TestAppliance;
  beforeAll(async () => {
    await ensureBuilt();
    t = await startTestAppliance();
  }, 300_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('nexusctl ask --model nope: one line saying the model is unknown, with the ids, exit 5', async () => {
    const result = await runCli(['ask', '--model', 'nope', 'What does river mean?'], { cwd: scratch });
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^nexusctl: \[model\] unknown model "nope": .*installed: lexicon-tiny/);
    expect(result.stderr).not.toContain('model file not found');
    expect(result.code).toBe(5);
  }, 60_000);

  it('models use nope (POST /api/control use-model): a 400 naming the model and the ids, still serving the current one', async () => {
    const response = await fetch(`${t.app.adminUrl}/api/control`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'use-model', model: 'nope' }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: 'INVALID_OPTION' });
    expect(body.error.message).toMatch(/^\[model\] unknown model "nope": .*installed: lexicon-tiny/);
    expect(t.app.daemon.assistant?.model.id).toBe('lexicon-tiny');
  });
});
