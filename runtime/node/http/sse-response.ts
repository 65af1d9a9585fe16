// sseResponse: a text/event-stream Response whose producer is aborted when the client goes away.

/** Sends one SSE message (`data` is written as is; give it JSON or `[DONE]`). */
export type SseSend = (data: string, event?: string) => void;

/**
 * Streams what `produce` sends. The signal handed to `produce` aborts when the request's signal
 * does (client disconnect) or the body is cancelled; the stream closes when `produce` settles.
 */
export function sseResponse(requestSignal: AbortSignal, produce: (send: SseSend, signal: AbortSignal) => Promise<void>): Response {
  const controller = new AbortController();
  const onAbort = () => controller.abort(requestSignal.reason);
  if (requestSignal.aborted) controller.abort(requestSignal.reason);
  else requestSignal.addEventListener('abort', onAbort, { once: true });
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(sink) {
      const send: SseSend = (data, event) => {
        if (controller.signal.aborted) return;
        try {
          sink.enqueue(encoder.encode(`${event ? `event: ${event}\n` : ''}data: ${data}\n\n`));
        } catch {
          controller.abort();
        }
      };
      void produce(send, controller.signal)
        .catch(() => undefined)
        .finally(() => {
          requestSignal.removeEventListener('abort', onAbort);
          try {
            sink.close();
          } catch {
            // Already closed or cancelled by the client.
          }
        });
    },
    cancel() {
      controller.abort();
    },
  });
  return new Response(stream, {
    headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' },
  });
}
