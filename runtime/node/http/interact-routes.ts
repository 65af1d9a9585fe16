// Native routes: POST /api/interact (JSON or ?stream=1 SSE), POST /api/teach, POST /api/feedback.
import { Hono } from 'hono';
import type { Answer, AskRequest } from '../../core/assistant/answer.js';
import { toNexusError } from '../../core/nexus-error.js';
import type { Daemon } from '../appliance/daemon.js';
import { requireScope, type ApiEnv } from './api-auth.js';
import { errorBody } from './error-response.js';
import { readJsonBody } from './read-json-body.js';
import { feedbackSchema, interactSchema, teachSchema, type InteractRequest } from './request-schemas.js';
import { sseResponse } from './sse-response.js';
import { startStreamedGeneration } from './streamed-generation.js';

function askRequestOf(body: InteractRequest, signal: AbortSignal): AskRequest {
  const o = body.options ?? {};
  return {
    prompt: body.messages ? undefined : body.prompt,
    messages: body.messages,
    maxTokens: o.maxTokens,
    sampling: { temperature: o.temperature, topK: o.topK, topP: o.topP, repetitionPenalty: o.repetitionPenalty, seed: o.seed },
    stop: o.stop,
    gate: o.gate,
    memory: o.memory,
    teacher: o.teacher,
    signal,
  };
}

/** The JSON of an interact answer. */
export function interactResult(answer: Answer) {
  return {
    response: answer.text,
    confidence: answer.confidence,
    decision: answer.decision,
    source: answer.source,
    finishReason: answer.finishReason,
    usage: answer.usage,
    timings: answer.timings,
    truncated: answer.truncated,
  };
}

/** /api/interact, /api/teach and /api/feedback (chat scope). */
export function interactRoutes(daemon: Daemon): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.post('/interact', requireScope('chat'), async (c) => {
    const body = await readJsonBody(c, interactSchema);
    const stream = ['1', 'true'].includes(c.req.query('stream') ?? '');
    if (!stream) return c.json(interactResult(await daemon.generate(askRequestOf(body, c.req.raw.signal))));
    const abort = new AbortController();
    const generation = await startStreamedGeneration(daemon, askRequestOf(body, AbortSignal.any([c.req.raw.signal, abort.signal])));
    return sseResponse(c, async (send, signal, flush) => {
      signal.addEventListener('abort', () => abort.abort(), { once: true });
      generation.follow((text) => {
        send(JSON.stringify({ text }), 'delta');
        flush();
      });
      try {
        send(JSON.stringify(interactResult(await generation.answer)), 'done');
      } catch (error) {
        send(JSON.stringify(errorBody(toNexusError(error), daemon.logger).body), 'error');
      }
    });
  });

  app.post('/teach', requireScope('chat'), async (c) => {
    const { question, answer } = await readJsonBody(c, teachSchema);
    const assistant = daemon.ready();
    assistant.teach(question, answer);
    daemon.events.publish('state', { taught: question.slice(0, 200), memory: assistant.memory.size });
    return c.json({ ok: true, memory: { entries: assistant.memory.size, capacity: assistant.memory.capacity } });
  });

  app.post('/feedback', requireScope('chat'), async (c) => {
    const { confidence, good } = await readJsonBody(c, feedbackSchema);
    const calibration = daemon.ready().calibration;
    calibration.addFeedback(confidence, good);
    return c.json({ ok: true, feedbackCount: calibration.feedbackCount });
  });

  return app;
}
