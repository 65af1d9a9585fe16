// eventLine: one live event of the appliance (GET /api/events) as a line an operator reads.
import { fieldText } from '../../../runtime/node/cli/field-text.js';
import type { SseEvent } from '../../../runtime/node/cli/sse-events.js';

/** The line, and whether it is a heartbeat (the dashboard keeps only the latest of those). */
export interface EventLine {
  heartbeat: boolean;
  text: string;
}

/** `10:10:09 PM answer: decision=answered confidence=1 …`, at the appliance's time of the event when it sent one. */
export function eventLine(event: SseEvent, received = new Date()): EventLine {
  let data: unknown;
  try {
    data = JSON.parse(event.data);
  } catch {
    data = undefined;
  }
  const fields = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  const sent = typeof fields?.time === 'string' ? new Date(fields.time) : undefined;
  const at = sent && !Number.isNaN(sent.getTime()) ? sent : received;
  const body = fields
    ? Object.entries(fields)
        .filter(([key]) => key !== 'time')
        .map(([key, value]) => `${key}=${fieldText(value)}`)
        .join(' ')
    : event.data;
  return { heartbeat: event.event === 'heartbeat', text: `${at.toLocaleTimeString()} ${event.event}${body ? `: ${body}` : ''}` };
}
