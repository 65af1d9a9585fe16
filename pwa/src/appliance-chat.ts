// Chat through an appliance: POST /api/interact?stream=1 and its SSE `delta` / `done` events.
import { NexusError, type NexusErrorJSON } from '../../runtime/core/index.js';
import { readSseEvents } from '../../runtime/node/cli/sse-events.js';
import type { AnswerView } from './protocol/worker-protocol.js';

interface ApplianceDone {
  response: string;
  confidence: number;
  decision: AnswerView['decision'];
  source: AnswerView['source'];
  timings?: { decodeTokensPerSecond?: number };
}

/** Asks the appliance at `baseUrl`, streaming text to `onDelta`. */
export async function askAppliance(baseUrl: string, prompt: string, onDelta: (text: string) => void, signal: AbortSignal): Promise<AnswerView> {
  const response = await fetch(`${baseUrl}/api/interact?stream=1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ prompt }),
    signal,
  });
  if (!response.ok || !response.body) throw new NexusError('INTERNAL', { reason: `the appliance answered HTTP ${response.status}` });
  for await (const event of readSseEvents(response.body)) {
    const data = JSON.parse(event.data) as Record<string, unknown>;
    if (event.event === 'delta') onDelta(String(data.text ?? ''));
    else if (event.event === 'error') throw NexusError.fromJSON((data.error ?? data) as NexusErrorJSON);
    else if (event.event === 'done') {
      const done = data as unknown as ApplianceDone;
      return { text: done.response, confidence: done.confidence, decision: done.decision, source: done.source, tokensPerSecond: done.timings?.decodeTokensPerSecond ?? 0 };
    }
  }
  throw new NexusError('INTERNAL', { reason: 'the answer stream ended before its done event' });
}
