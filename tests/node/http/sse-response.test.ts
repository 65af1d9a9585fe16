// sseResponse over a real server (listen()): the head carries the middlewares' headers, messages are coalesced into
// fewer writes without holding back the first or the last ones, and the producer stops when the client goes away.
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { Hono, type MiddlewareHandler } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { listen, type Listener } from '../../../runtime/node/http/http-listener.js';
import { SSE_MAX_UNREAD_BYTES, sseResponse, type SseFlush, type SseSend } from '../../../runtime/node/http/sse-response.js';

type Produce = (send: SseSend, signal: AbortSignal, flush: SseFlush) => Promise<void>;

let listener: Listener | undefined;
afterEach(async () => {
  await listener?.close(0);
  listener = undefined;
});

/** Serves `produce` at GET /sse behind a middleware that adds a header after the handler (as securityHeaders does); records each write to the socket. */
async function serveSse(produce: Produce, coalesceMs?: number, after?: MiddlewareHandler): Promise<{ url: string; writes: string[] }> {
  const writes: string[] = [];
  const app = new Hono();
  app.use('*', async (c, next) => {
    const outgoing = (c.env as { outgoing: ServerResponse }).outgoing;
    const write = outgoing.write.bind(outgoing) as (chunk: string) => boolean;
    outgoing.write = ((chunk: string) => (writes.push(String(chunk)), write(chunk))) as typeof outgoing.write;
    await next();
    c.res.headers.set('X-Added-After', 'yes');
  });
  if (after) app.use('*', after);
  app.get('/sse', (c) => sseResponse(c, produce, coalesceMs));
  listener = await listen(app, '127.0.0.1', 0);
  return { url: `${listener.url}/sse`, writes };
}

/** GET `url`: the response, the next piece of body text to arrive, and the whole body text. */
function get(url: string): Promise<{ response: IncomingMessage; nextChunk: () => Promise<string>; text: Promise<string> }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, (response) => {
      response.setEncoding('utf8');
      const received: string[] = [];
      let unread = 0;
      let wake: (() => void) | undefined;
      response.on('data', (chunk: string) => {
        received.push(chunk);
        wake?.();
      });
      const text = new Promise<string>((done) => response.on('end', () => done(received.join(''))));
      const nextChunk = async (): Promise<string> => {
        while (unread >= received.length) await new Promise<void>((woken) => (wake = woken));
        return received[unread++];
      };
      resolve({ response, nextChunk, text });
    })
      .on('error', () => undefined)
      .on('error', reject)
      .end();
  });
}

describe('sseResponse', () => {
  it('writes its head with the headers middlewares add after the handler, and the SSE headers', async () => {
    const { url } = await serveSse(async (send) => send('hello'));
    const { response, text } = await get(url);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache, no-transform');
    expect(response.headers['x-added-after']).toBe('yes');
    expect(response.headers['x-hono-already-sent']).toBeUndefined();
    expect(await text).toBe('data: hello\n\n');
  });

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
    const { url, writes } = await serveSse(async (send) => {
      sendFn = send;
      send('a');
      send('b');
      await later;
    }, 60_000);
    const started = performance.now();
    const { nextChunk, text } = await get(url);
    await nextChunk();
    expect(writes).toEqual(['data: a\n\ndata: b\n\n']);
    sendLater(sendFn!);
    expect(await text).toBe('data: a\n\ndata: b\n\ndata: c\n\nevent: done\ndata: d\n\n');
    expect(writes).toEqual(['data: a\n\ndata: b\n\n', 'data: c\n\nevent: done\ndata: d\n\n']);
    // Nothing waited for the 60 s window.
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('on flush writes what was sent at once, and what follows in the same task waits for the window', async () => {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let flushed: string[] = [];
    const { url, writes } = await serveSse(async (send, _signal, flush) => {
      // As an answer's first token does, after the head has been written.
      await new Promise((resolve) => setTimeout(resolve, 0));
      send('a');
      flush();
      flushed = [...writes];
      send('b');
      flush();
      await released;
    }, 60_000);
    const { nextChunk, text } = await get(url);
    expect(await nextChunk()).toBe('data: a\n\n');
    // Written inside the producer's own call, not at the end of its task.
    expect(flushed).toEqual(['data: a\n\n']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(writes).toEqual(['data: a\n\n']);
    release();
    expect(await text).toBe('data: a\n\ndata: b\n\n');
    expect(writes).toEqual(['data: a\n\n', 'data: b\n\n']);
  });

  it('with no window, writes each task’s messages separately', async () => {
    const { url, writes } = await serveSse(async (send) => {
      for (const data of ['1', '2', '3']) {
        send(data);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }, 0);
    const { text } = await get(url);
    expect(await text).toBe('data: 1\n\ndata: 2\n\ndata: 3\n\n');
    expect(writes).toEqual(['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n']);
  });

  it('sends its head on its own after SSE_HEAD_WAIT_MS when the producer has nothing yet, so a quiet feed is open', async () => {
    let sendFn: SseSend | undefined;
    const { url } = await serveSse((send, signal) => {
      sendFn = send;
      return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    });
    const { response, nextChunk } = await get(url);
    expect(response.statusCode).toBe(200);
    sendFn!('later');
    expect(await nextChunk()).toBe('data: later\n\n');
    response.destroy();
  });

  it('aborts the producer when the client goes away, and later sends do nothing', async () => {
    let producerSignal: AbortSignal | undefined;
    let sendFn: SseSend | undefined;
    const aborted = new Promise<void>((resolve) => {
      void serveSse(async (send, signal) => {
        producerSignal = signal;
        sendFn = send;
        send('first');
        await new Promise((done) => signal.addEventListener('abort', done, { once: true }));
        resolve();
      }).then(async ({ url }) => {
        const { response, nextChunk } = await get(url);
        await nextChunk();
        response.destroy();
      });
    });
    await aborted;
    expect(producerSignal?.aborted).toBe(true);
    expect(() => sendFn!('after')).not.toThrow();
  });

  it('drops a client that stops reading once more than SSE_MAX_UNREAD_BYTES wait, instead of buffering without end', async () => {
    const message = 'x'.repeat(64 * 1024);
    let sent = 0;
    let reason: unknown;
    const done = new Promise<void>((resolve) => {
      void serveSse(async (send, signal) => {
        // Far more than the socket buffers can hold, unless the stream is dropped first.
        while (!signal.aborted && sent < 512 * message.length) {
          send(message);
          sent += message.length;
          await new Promise((next) => setImmediate(next));
        }
        reason = signal.reason;
        resolve();
      }, 0).then(async ({ url }) => {
        const { response } = await get(url);
        response.pause();
      });
    });
    await done;
    expect(String(reason)).toMatch(/not reading/);
    expect(sent).toBeGreaterThan(SSE_MAX_UNREAD_BYTES);
    expect(sent).toBeLessThan(512 * message.length);
  });

  it('when a middleware puts another response in its place, sends that one and stops the producer', async () => {
    let producerSignal: AbortSignal | undefined;
    const replace: MiddlewareHandler = async (c, next) => {
      await next();
      c.res = c.json({ replaced: true }, 503);
    };
    const { url } = await serveSse(async (_send, signal) => {
      producerSignal = signal;
      await new Promise((done) => signal.addEventListener('abort', done, { once: true }));
    }, undefined, replace);
    const { response, text } = await get(url);
    expect(response.statusCode).toBe(503);
    expect(JSON.parse(await text)).toEqual({ replaced: true });
    expect(producerSignal?.aborted).toBe(true);
  });
});
