// readSseEvents: named events and multi-line data, split across arbitrary chunk boundaries.
import { describe, expect, it } from 'vitest';
import { readSseEvents } from '../../../runtime/node/cli/sse-events.js';

function streamOf(text: string, chunkSize: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

describe('readSseEvents', () => {
  it.each([1, 3, 1000])('parses events with chunks of %i bytes', async (chunkSize) => {
    const text = ': comment\r\nevent: delta\r\ndata: {"text":"Grüße 🙂"}\r\n\r\nevent: done\ndata: line one\ndata: line two\n\ndata: plain\n\n';
    const events = [];
    for await (const event of readSseEvents(streamOf(text, chunkSize))) events.push(event);
    expect(events).toEqual([
      { event: 'delta', data: '{"text":"Grüße 🙂"}' },
      { event: 'done', data: 'line one\nline two' },
      { event: 'message', data: 'plain' },
    ]);
  });
});
