// sseResponse: a text/event-stream Response whose producer is aborted when the client goes away.

/** Sends one SSE message (`data` is written as is; give it JSON or `[DONE]`). */
export type SseSend = (data: string, event?: string) => void;

/**
 * Messages sent within this many ms of the last write go out together in the next one. Each write
 * to the socket costs the appliance ~0.1–0.25 ms of CPU (HTTP chunk framing, the response stream,
 * a loopback or LAN syscall): once per token, that was 8–20 % of a decode step. A message after a
 * quiet spell (the first token, an event) is written at the end of the task that sent it, with
 * whatever else that task sends, so time to first token is unchanged; later tokens wait at most
 * one display frame. Every message stays its own SSE event.
 */
export const SSE_COALESCE_MS = 16;

/**
 * Streams what `produce` sends. The signal handed to `produce` aborts when the request's signal
 * does (client disconnect) or the body is cancelled; the stream closes when `produce` settles,
 * after writing what is still waiting.
 */
export function sseResponse(requestSignal: AbortSignal, produce: (send: SseSend, signal: AbortSignal) => Promise<void>, coalesceMs = SSE_COALESCE_MS): Response {
  const controller = new AbortController();
  const onAbort = () => controller.abort(requestSignal.reason);
  if (requestSignal.aborted) controller.abort(requestSignal.reason);
  else requestSignal.addEventListener('abort', onAbort, { once: true });
  const encoder = new TextEncoder();
  let waiting = '';
  let lastWriteAt = -Infinity;
  let writeScheduled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(sink) {
      const write = () => {
        writeScheduled = false;
        timer = undefined;
        lastWriteAt = performance.now();
        if (waiting === '' || controller.signal.aborted) return;
        const bytes = encoder.encode(waiting);
        waiting = '';
        try {
          sink.enqueue(bytes);
        } catch {
          controller.abort();
        }
      };
      const send: SseSend = (data, event) => {
        if (controller.signal.aborted) return;
        waiting += `${event ? `event: ${event}\n` : ''}data: ${data}\n\n`;
        if (writeScheduled) return;
        writeScheduled = true;
        const sinceLastWrite = performance.now() - lastWriteAt;
        if (sinceLastWrite >= coalesceMs) queueMicrotask(write);
        else timer = setTimeout(write, coalesceMs - sinceLastWrite);
      };
      void produce(send, controller.signal)
        .catch(() => undefined)
        .finally(() => {
          requestSignal.removeEventListener('abort', onAbort);
          clearTimeout(timer);
          write();
          try {
            sink.close();
          } catch {
            // Already closed or cancelled by the client.
          }
        });
    },
    cancel() {
      clearTimeout(timer);
      controller.abort();
    },
  });
  return new Response(stream, {
    headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' },
  });
}
