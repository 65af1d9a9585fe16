// eventLine on the events the appliance publishes (GET /api/events), and on data that is not a JSON object.
import { describe, expect, it } from 'vitest';
import { eventLine } from '../../pwa/src/ui/event-line.js';

const time = '2026-11-24T22:10:09.000Z';
const at = new Date(time).toLocaleTimeString();

describe('eventLine', () => {
  it('writes the fields as key=value at the time the appliance sent, without the time field', () => {
    const answer = { event: 'answer', data: JSON.stringify({ time, decision: 'answered', confidence: 0.93, source: 'model', tokens: 20, ms: 51 }) };
    expect(eventLine(answer)).toEqual({ heartbeat: false, text: `${at} answer: decision=answered confidence=0.93 source=model tokens=20 ms=51` });
  });

  it('quotes a value with spaces (a question) and shows objects as JSON', () => {
    const request = { event: 'request', data: JSON.stringify({ time, prompt: 'What does river mean?', extra: { a: 1 } }) };
    expect(eventLine(request).text).toBe(`${at} request: prompt="What does river mean?" extra={"a":1}`);
  });

  it('marks heartbeats, which the dashboard keeps one of', () => {
    expect(eventLine({ event: 'heartbeat', data: JSON.stringify({ time, state: 'serving', queue: 0 }) })).toEqual({ heartbeat: true, text: `${at} heartbeat: state=serving queue=0` });
  });

  it('keeps data that is not a JSON object as it came, at the time it was received', () => {
    const received = new Date('2026-11-24T08:00:00.000Z');
    expect(eventLine({ event: 'message', data: 'plain text' }, received).text).toBe(`${received.toLocaleTimeString()} message: plain text`);
    expect(eventLine({ event: 'state', data: JSON.stringify({ time: 'not a time', state: 'paused' }) }, received).text).toBe(`${received.toLocaleTimeString()} state: state=paused`);
    expect(eventLine({ event: 'ping', data: '' }, received).text).toBe(`${received.toLocaleTimeString()} ping`);
  });
});
