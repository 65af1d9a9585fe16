// The Assistant on the real model: gate decisions, teaching, the teacher, and learning that survives a restart.
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assistant } from '../../../runtime/core/assistant/assistant.js';
import type { Answer, AskEvent } from '../../../runtime/core/assistant/answer.js';
import { encodeAssistantCheckpoint, restoreAssistantState } from '../../../runtime/core/assistant/assistant-checkpoint.js';
import { decodeCheckpoint } from '../../../runtime/core/checkpoint/checkpoint-codec.js';
import { TeacherClient } from '../../../runtime/core/teacher/teacher-client.js';
import { CircuitBreaker } from '../../../runtime/core/resilience/circuit-breaker.js';
import { createAssistant } from '../../../runtime/node/create-assistant.js';

const run = promisify(execFile);
const riverDefinition = 'river (noun): a large natural stream of water (larger than a creek).';

async function collect(assistant: Assistant, prompt: string): Promise<{ deltas: string[]; answer: Answer }> {
  const deltas: string[] = [];
  for await (const event of assistant.ask({ prompt }) as AsyncGenerator<AskEvent>) {
    if (event.type === 'delta') deltas.push(event.text);
    else return { deltas, answer: event.answer };
  }
  throw new Error('no answer');
}

/** A real OpenAI-compatible teacher on loopback that answers every question with `reply`. */
function startTeacher(reply: string): Promise<{ server: Server; url: string; calls: () => number }> {
  let calls = 0;
  const server = createServer((request, response) => {
    calls++;
    request.resume();
    request.on('end', () => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ id: 'x', object: 'chat.completion', model: 'teacher', choices: [{ index: 0, message: { role: 'assistant', content: reply }, finish_reason: 'stop' }] }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const address = server.address() as { port: number };
    resolve({ server, url: `http://127.0.0.1:${address.port}/v1`, calls: () => calls });
  }));
}

describe('Assistant', () => {
  let assistant: Assistant;
  beforeAll(async () => {
    assistant = await createAssistant();
  });

  it('answers a known word, streaming only after the gate decided, with confidence and decision', async () => {
    const { deltas, answer } = await collect(assistant, 'What does river mean?');
    expect(answer).toMatchObject({ text: riverDefinition, decision: 'answered', source: 'model', finishReason: 'eos' });
    expect(answer.confidence).toBeGreaterThan(assistant.calibration.settings.threshold);
    expect(deltas.join('')).toBe(riverDefinition);
    expect(deltas[0].length).toBeGreaterThan(10);
    expect(answer.usage.completionTokens).toBeGreaterThan(10);
  });

  it('abstains on a made-up word instead of inventing a definition', async () => {
    const { deltas, answer } = await collect(assistant, 'What does blorvantic mean?');
    expect(answer.decision).toBe('abstained');
    expect(answer.confidence).toBeLessThan(assistant.calibration.settings.threshold);
    expect(answer.text).toMatch(/^I don't know that \(confidence 0\.\d\d\)\.$/);
    expect(deltas.join('')).toBe(answer.text);
    expect(deltas.join('')).not.toContain('adjective');
  });

  it('with the gate off, streams what the model says (and still reports the confidence)', async () => {
    const answer = await assistant.answer({ prompt: 'What does blorvantic mean?', gate: false });
    expect(answer.decision).toBe('answered');
    expect(answer.text).toMatch(/^blorvantic \(/);
    expect(answer.confidence).toBeLessThan(assistant.calibration.settings.threshold);
  });

  it('stops an answer whose confidence collapses, flagged as stopped', async () => {
    const strict = await createAssistant();
    strict.calibration = (await import('../../../runtime/core/gate/gate-calibration.js')).GateCalibration.from({ ...strict.calibration.settings, threshold: 0, collapseThreshold: 0.99, collapseWindow: 4 });
    const answer = await strict.answer({ prompt: 'What does blorvantic mean?' });
    expect(answer.decision).toBe('stopped');
    expect(answer.text.length).toBeGreaterThan(0);
  });


  it('answers a short question whose maxTokens is the whole context window (the answer gets the room left)', async () => {
    const answer = await assistant.answer({ prompt: 'What does river mean?', maxTokens: assistant.model.contextLength + 100 });
    expect(answer).toMatchObject({ text: riverDefinition, decision: 'answered' });
  });

  it('an answer stopped before the gate decided shows nothing unchecked: stopped, empty, aborted', async () => {
    for (const prompt of ['What does blorvantic mean?', 'What does mountain mean?']) {
      const controller = new AbortController();
      let steps = 0;
      const deltas: string[] = [];
      let answer: Answer | undefined;
      const betweenSteps = async () => {
        if (++steps === 3) controller.abort();
      };
      for await (const event of assistant.ask({ prompt, signal: controller.signal, betweenSteps })) {
        if (event.type === 'delta') deltas.push(event.text);
        else answer = event.answer;
      }
      expect(deltas).toEqual([]);
      expect(answer).toMatchObject({ text: '', decision: 'stopped', finishReason: 'aborted', source: 'model' });
    }
  });

  it('an answer stopped after the gate decided keeps its decision and the text shown, finishReason aborted', async () => {
    const controller = new AbortController();
    let steps = 0;
    const deltas: string[] = [];
    let answer: Answer | undefined;
    const betweenSteps = async () => {
      if (++steps === assistant.calibration.settings.k + 3) controller.abort();
    };
    for await (const event of assistant.ask({ prompt: 'What does river mean?', signal: controller.signal, betweenSteps })) {
      if (event.type === 'delta') deltas.push(event.text);
      else answer = event.answer;
    }
    expect(answer).toMatchObject({ decision: 'answered', finishReason: 'aborted' });
    expect(answer!.text).toBe(deltas.join(''));
    expect(riverDefinition.startsWith(answer!.text)).toBe(true);
    expect(answer!.text.length).toBeLessThan(riverDefinition.length);
  });
  it('learns a correction: the abstained word is then answered from memory', async () => {
    expect((await assistant.answer({ prompt: 'What does glimmerfax mean?' })).decision).toBe('abstained');
    assistant.teach('What does glimmerfax mean?', 'glimmerfax (noun): a made-up word for testing.');
    const answer = await assistant.answer({ prompt: 'what does GLIMMERFAX mean' });
    expect(answer).toMatchObject({ text: 'glimmerfax (noun): a made-up word for testing.', source: 'memory', decision: 'answered', confidence: 1 });
    expect(assistant.counters.get('fromMemory')).toBeGreaterThanOrEqual(1);
  });

  it('asks a configured teacher when it abstains, returns source teacher, and learns the answer', async () => {
    const teacher = await startTeacher('zorbulent (adjective): invented for this test.');
    try {
      const taught = await createAssistant({ teacher: new TeacherClient({ baseUrl: teacher.url, model: 'teacher', fetch, timeoutMs: 5000 }) });
      const first = await taught.answer({ prompt: 'What does zorbulent mean?' });
      expect(first).toMatchObject({ source: 'teacher', decision: 'answered', text: 'zorbulent (adjective): invented for this test.' });
      const second = await taught.answer({ prompt: 'What does zorbulent mean?' });
      expect(second.source).toBe('memory');
      expect(teacher.calls()).toBe(1);
      expect((await taught.answer({ prompt: 'What does river mean?' })).source).toBe('model');
      expect(teacher.calls()).toBe(1);
    } finally {
      teacher.server.close();
    }
  });

  it('falls back to abstaining when the teacher is down (no hang), with the reason', async () => {
    const breaker = new CircuitBreaker({ name: 'teacher', failureThreshold: 1, coolDownMs: 60_000 });
    const down = await createAssistant({ teacher: new TeacherClient({ baseUrl: 'http://127.0.0.1:9/v1', model: 't', fetch, timeoutMs: 2000, breaker }) });
    const answer = await down.answer({ prompt: 'What does quopplish mean?' });
    expect(answer.decision).toBe('abstained');
    expect(answer.teacherError).toMatch(/teacher/);
    const again = await down.answer({ prompt: 'What does quopplish mean?' });
    expect(again.teacherError).toMatch(/temporarily unavailable/);
  });

  it('moves what it learned through a checkpoint to another assistant', async () => {
    const bytes = await encodeAssistantCheckpoint(assistant, { producer: 'nexus-edge/test node', createdAt: '2026-01-01T00:00:00.000Z' });
    const other = await createAssistant();
    const report = restoreAssistantState(other, await decodeCheckpoint(bytes, { modelSha256: other.model.modelSha256 }));
    expect(report.restored.sort()).toEqual(['gate', 'lifecycle', 'memory']);
    expect((await other.answer({ prompt: 'What does glimmerfax mean?' })).source).toBe('memory');
    const again = await encodeAssistantCheckpoint(assistant, { producer: 'nexus-edge/test node', createdAt: '2026-01-01T00:00:00.000Z' });
    expect(again).toEqual(bytes);
  });

  it('a checkpoint from another model restores memory but not the gate calibration, and says so', async () => {
    const q4 = await createAssistant({ dtype: 'q4' });
    const bytes = await encodeAssistantCheckpoint(assistant, { producer: 'nexus-edge/test node' });
    const report = restoreAssistantState(q4, await decodeCheckpoint(bytes, { modelSha256: q4.model.modelSha256 }));
    expect(report).toMatchObject({ modelMismatch: true, dropped: ['gate'] });
    expect(report.restored).toContain('memory');
    expect(q4.calibration.settings.threshold).not.toBe(assistant.calibration.settings.threshold);
  });
});

describe('learning survives a process restart', () => {
  const directory = mkdtempSync(join(tmpdir(), 'nexus-restart-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('teach in one process, save, start a new process, load: still answered from memory', async () => {
    const script = new URL('../../fixtures/teach-and-restart.ts', import.meta.url).pathname;
    const question = 'What does florbisque mean?';
    const first = JSON.parse((await run(process.execPath, ['--import', 'tsx', script, directory, question, 'florbisque (noun): a taught word.'])).stdout);
    expect(first.restored).toBe(false);
    expect(first.before.decision).toBe('abstained');
    expect(first.after.source).toBe('memory');
    const second = JSON.parse((await run(process.execPath, ['--import', 'tsx', script, directory, question])).stdout);
    expect(second.restored).toBe(true);
    expect(second.before).toMatchObject({ source: 'memory', text: 'florbisque (noun): a taught word.' });
  }, 120_000);
});
