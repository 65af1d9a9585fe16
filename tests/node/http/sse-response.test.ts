// sseResponse coalesces messages into fewer writes without holding back the first one or the last ones.
import { describe, expect, it } from 'vitest';
import { sseResponse, type SseSend } from '../../../runtime/node/http/sse-response.js';

/** Each chunk the Response body yields, as text. */
async function* bodyChunks(response: Response): AsyncGenerator<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield decoder.decode(value);
  }
}

describe('sseResponse', () => {
  it('writes the first messages of a task at once, holds later ones for the window, and writes them when the producer ends', async () => {
    let sendLater: (send: SseSend) => void = () => undefined;
    const later = new Promise<void>((resolve) => {
      sendLater = (send) => {
        send('c');
        send('d', 'done');
        resolve();
      };
    });
    let sendFn: SseSend | undefined;
    const response = sseResponse(new AbortController().signal, async (send) => {
      sendFn = send;
      send('a');
      send('b');
      await later;
    }, 60_000);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const chunks = bodyChunks(response);
    const started = performance.now();
    expect((await chunks.next()).value).toBe('data: a\n\ndata: b\n\n');
    sendLater(sendFn!);
    expect((await chunks.next()).value).toBe('data: c\n\nevent: done\ndata: d\n\n');
    expect((await chunks.next()).done).toBe(true);
    // Neither read waited for the 60 s window.
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('with no window, writes each task’s messages separately', async () => {
    const response = sseResponse(new AbortController().signal, async (send) => {
      for (const data of ['1', '2', '3']) {
        send(data);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }, 0);
    const chunks: string[] = [];
    for await (const chunk of bodyChunks(response)) chunks.push(chunk);
    expect(chunks).toEqual(['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n']);
  });

  it('aborts the producer when the client cancels the body, and drops what was waiting', async () => {
    let producerSignal: AbortSignal | undefined;
    let sendFn: SseSend | undefined;
    const response = sseResponse(new AbortController().signal, async (send, signal) => {
      producerSignal = signal;
      sendFn = send;
      send('first');
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    }, 60_000);
    const reader = response.body!.getReader();
    await reader.read();
    sendFn!('held');
    await reader.cancel();
    expect(producerSignal?.aborted).toBe(true);
    expect(() => sendFn!('after')).not.toThrow();
  });

  it('aborts the producer when the request is aborted', async () => {
    const request = new AbortController();
    let producerSignal: AbortSignal | undefined;
    const response = sseResponse(request.signal, async (_send, signal) => {
      producerSignal = signal;
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    });
    const done = (async () => {
      for await (const _ of bodyChunks(response)) void _;
    })();
    request.abort(new Error('client gone'));
    await done;
    expect(producerSignal?.aborted).toBe(true);
  });
});
