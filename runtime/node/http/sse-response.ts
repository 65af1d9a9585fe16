// sseResponse: server-sent events written straight to the Node response; the producer is aborted when the client goes away.
import type { ServerResponse } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context } from 'hono';
import { nodeResponseOf } from './node-response.js';

/** Sends one SSE message (`data` is written as is; give it JSON or `[DONE]`). */
export type SseSend = (data: string, event?: string) => void;

/**
 * Writes what was sent now rather than at the end of the task, unless the coalescing window holds it.
 * A streamed answer's delta is sent from inside the generation's task, which goes on to prepare the
 * next step before it ends: ~0.08 ms that a native answer's first token waited for.
 */
export type SseFlush = () => void;

/**
 * Messages sent within this many ms of the last write go out together in the next one. Each write
 * to the socket costs the appliance ~0.1–0.25 ms of CPU (HTTP chunk framing, a loopback or LAN
 * syscall): once per token, that was 8–20 % of a decode step. A message after a quiet spell (the
 * first token, an event) is written at the end of the task that sent it, with whatever else that
 * task sends, so time to first token is unchanged; later tokens wait at most one display frame.
 * Every message stays its own SSE event.
 */
export const SSE_COALESCE_MS = 16;

/**
 * The head waits this long for the first message, to go out with it in one write: a separate write
 * of the head took ~0.1 ms before a streamed answer's first step, and woke the client while it ran.
 */
export const SSE_HEAD_WAIT_MS = 50;

/** A client that leaves more than this unread is dropped rather than buffered without end. */
export const SSE_MAX_UNREAD_BYTES = 1 << 20;

const sseHeaders = { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' };

/** Streams whose handler has returned, waiting for the app's final response (its middlewares' headers) to write their head. */
const waitingForHead = new WeakMap<ServerResponse, (response: Response) => void>();

/**
 * Streams what `produce` sends on the request's Node response (`c.env.outgoing`). The returned
 * Response carries the SSE headers for the middlewares to add theirs to; `sendSseHead` (in the
 * listener) writes the head from the app's final response, then the messages go straight to the
 * socket. Before, they went through a web ReadableStream that @hono/node-server read back chunk by
 * chunk: on the native engine that machinery was ~0.2 ms of a ~8 ms time to first token.
 *
 * The signal handed to `produce` aborts when the request's signal does or the connection closes;
 * the response ends when `produce` settles, after writing what is still waiting.
 */
export function sseResponse(c: Context, produce: (send: SseSend, signal: AbortSignal, flush: SseFlush) => Promise<void>, coalesceMs = SSE_COALESCE_MS): Response {
  const outgoing = nodeResponseOf(c, 'sseResponse');
  const requestSignal = c.req.raw.signal;
  const controller = new AbortController();
  const onAbort = () => controller.abort(requestSignal.reason);
  if (requestSignal.aborted) controller.abort(requestSignal.reason);
  else requestSignal.addEventListener('abort', onAbort, { once: true });
  const onClose = () => {
    if (!outgoing.writableFinished) controller.abort(new Error('the client closed the connection'));
  };
  outgoing.once('close', onClose);

  let headWritten = false;
  let produced = false;
  let waiting = '';
  let lastWriteAt = -Infinity;
  let writeScheduled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let headTimer: ReturnType<typeof setTimeout> | undefined;
  const finish = () => {
    requestSignal.removeEventListener('abort', onAbort);
    outgoing.off('close', onClose);
    clearTimeout(timer);
    clearTimeout(headTimer);
    if (!headWritten) return;
    write();
    if (!outgoing.destroyed) outgoing.end();
  };
  const write = () => {
    writeScheduled = false;
    timer = undefined;
    if (!headWritten || waiting === '' || controller.signal.aborted || outgoing.destroyed) return;
    clearTimeout(headTimer);
    lastWriteAt = performance.now();
    if (outgoing.writableLength > SSE_MAX_UNREAD_BYTES) {
      controller.abort(new Error('the client is not reading the stream'));
      outgoing.destroy();
      return;
    }
    outgoing.write(waiting);
    waiting = '';
  };
  const send: SseSend = (data, event) => {
    if (controller.signal.aborted) return;
    waiting += `${event ? `event: ${event}\n` : ''}data: ${data}\n\n`;
    if (writeScheduled || !headWritten) return;
    writeScheduled = true;
    const sinceLastWrite = performance.now() - lastWriteAt;
    if (sinceLastWrite >= coalesceMs) queueMicrotask(writeAtEndOfTask);
    else timer = setTimeout(write, coalesceMs - sinceLastWrite);
  };
  // A flush may have written already, and a send after it set the window's timer.
  const writeAtEndOfTask = () => {
    if (writeScheduled && timer === undefined) write();
  };
  const flush: SseFlush = () => writeAtEndOfTask();

  waitingForHead.set(outgoing, (response) => {
    waitingForHead.delete(outgoing);
    if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
      // A middleware answered something else in its place: this stream is not sent.
      controller.abort(new Error('the response was replaced'));
      finish();
      return;
    }
    if (outgoing.destroyed) {
      controller.abort(new Error('the client closed the connection'));
      finish();
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of response.headers) headers[name] = value;
    outgoing.writeHead(response.status, headers);
    headWritten = true;
    if (produced) finish();
    else if (waiting !== '') write();
    // Node sends the head with the first write: on its own only if nothing comes soon (a quiet feed, a long prompt).
    else headTimer = setTimeout(() => outgoing.flushHeaders(), SSE_HEAD_WAIT_MS);
  });
  void produce(send, controller.signal, flush)
    .catch(() => undefined)
    .finally(() => {
      produced = true;
      if (headWritten) finish();
    });
  return new Response(null, { headers: sseHeaders });
}

/**
 * The listener's last step: when the request's handler made an SSE stream, writes its head from the
 * app's final `response` (with every middleware's headers) and starts it, and tells
 * @hono/node-server the response is already being sent; any other response is returned as is.
 */
export function sendSseHead(response: Response, env: unknown): Response {
  const outgoing = (env as Partial<HttpBindings> | undefined)?.outgoing;
  const start = outgoing && waitingForHead.get(outgoing);
  if (!start) return response;
  start(response);
  // RESPONSE_ALREADY_SENT is a global (undici) Response made when @hono/node-server's module loads,
  // before serve() swaps in its own Response class, whose instances it would write a second head for.
  return outgoing.headersSent || outgoing.destroyed ? RESPONSE_ALREADY_SENT : response;
}
