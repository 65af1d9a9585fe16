// Chat through an appliance: POST /api/interact?stream=1 and its SSE `delta` / `done` events.
import { NexusError, type NexusErrorJSON } from '../../runtime/core/index.js';
import { readSseEvents } from '../../runtime/node/cli/sse-events.js';
import { applianceError } from './appliance-error.js';
import { applianceFetch, type ApplianceTarget } from './appliance-fetch.js';
import type { AnswerView } from './protocol/worker-protocol.js';

interface ApplianceDone {
  response: string;
  confidence: number;
  decision: AnswerView['decision'];
  source: AnswerView['source'];
  finishReason?: string;
  timings?: { decodeTokensPerSecond?: number };
}

/**
 * Asks the appliance `target`, streaming text to `onDelta`. Aborting `signal` stops the answer:
 * it resolves as stopped with the text received so far (no confidence: the done event never came).
 */
export async function askAppliance(target: ApplianceTarget, prompt: string, onDelta: (text: string) => void, signal: AbortSignal): Promise<AnswerView> {
  let received = '';
  try {
    const response = await applianceFetch(target, '/api/interact?stream=1', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ prompt }),
      signal,
    });
    if (!response.ok || !response.body) throw await applianceError(response, 'chat');
    for await (const event of readSseEvents(response.body)) {
      const data = JSON.parse(event.data) as Record<string, unknown>;
      if (event.event === 'delta') {
        const text = String(data.text ?? '');
        received += text;
        onDelta(text);
      } else if (event.event === 'error') throw NexusError.fromJSON((data.error ?? data) as NexusErrorJSON);
      else if (event.event === 'done') {
        const done = data as unknown as ApplianceDone;
        return { text: done.response, confidence: done.confidence, decision: done.decision, source: done.source, tokensPerSecond: done.timings?.decodeTokensPerSecond ?? 0, stopped: done.finishReason === 'aborted' };
      }
    }
    throw new NexusError('INTERNAL', { reason: 'the answer stream ended before its done event' });
  } catch (error) {
    if (!signal.aborted) throw error;
    return { text: received, confidence: 0, decision: 'stopped', source: 'model', tokensPerSecond: 0, stopped: true };
  }
}
