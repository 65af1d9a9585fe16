// Messages between the browser benchmark page, its worker and the Node leg that drives them.
import type { LegOptions, RunTiming } from '../leg-result.js';

/** What the page posts to the bench worker: the leg's options and the thread count to run with. */
export interface BenchRequest extends LegOptions {
  /** Base URL of the page (the worker resolves models/ and ORT's WASM against it). */
  origin: string;
}

/** What the worker posts back once: every run's timing, or why it could not run. */
export type BenchReply =
  | {
      type: 'result';
      /** Model load inside the worker (fetch, parse, session creation), ms. */
      loadMs: number;
      /** Wall-clock time (epoch ms: performance.timeOrigin + now) of the first generated token. */
      firstTokenAt: number;
      /** Measured runs only (warm-up runs dropped). */
      timings: RunTiming[];
      engine: string;
      threads: number;
      crossOriginIsolated: boolean;
      note?: string;
      /** The pair page: the 1-thread worker's answers, `baseline[i]` run right before or after `timings[i]`. */
      baseline?: RunTiming[];
    }
  | { type: 'error'; message: string };

/** The pair page asks a worker that has replied for one more answer. */
export interface BenchAsk {
  type: 'ask';
}

/** What the worker posts back for a BenchAsk. */
export type BenchAnswer = { type: 'answer'; timing: RunTiming } | { type: 'error'; message: string };

/** Epoch milliseconds, comparable between a page and its workers (each has its own time origin). */
export function wallClock(): number {
  return performance.timeOrigin + performance.now();
}

/** The worker side of the page: post one reply (typed narrowly so the DOM lib's Window.postMessage is not used). */
export function postReply(reply: BenchReply | BenchAnswer): void {
  (self as unknown as { postMessage(message: BenchReply | BenchAnswer): void }).postMessage(reply);
}

/** Runs `bench` on the first request the page posts and replies with its result or error. */
export function serveBench(bench: (request: BenchRequest) => Promise<BenchReply>): void {
  self.addEventListener('message', (event) => {
    bench((event as MessageEvent<BenchRequest>).data).then(postReply, (error: unknown) => postReply({ type: 'error', message: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) }));
  }, { once: true });
}
