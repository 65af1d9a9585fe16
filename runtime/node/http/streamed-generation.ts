// startStreamedGeneration: starts a generation and waits until it is under way, so refusals stay plain HTTP errors.
import type { Answer, AskRequest } from '../../core/assistant/answer.js';
import type { Daemon } from '../appliance/daemon.js';

/** A generation that has been admitted: its deltas so far can be drained, then followed. */
export interface StreamedGeneration {
  /** Calls `listener` with the deltas buffered so far, then with each new one. */
  follow(listener: (text: string) => void): void;
  answer: Promise<Answer>;
}

/**
 * Starts `request` on the daemon and resolves once its answer is under way (a slot held, the prompt
 * accepted); rejects with the refusal (QUEUE_FULL, PAUSED, PROMPT_TOO_LONG, EMPTY_PROMPT, …) so the
 * route answers it as a JSON error before any SSE byte is sent.
 */
export async function startStreamedGeneration(daemon: Daemon, request: AskRequest): Promise<StreamedGeneration> {
  const buffered: string[] = [];
  let listener: ((text: string) => void) | undefined;
  let start: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (start = resolve));
  const answer = daemon.generate(request, {
    onStarted: () => start(),
    onDelta: (text) => (listener ? listener(text) : buffered.push(text)),
  });
  await Promise.race([started, answer]);
  return {
    answer,
    follow(next) {
      for (const text of buffered.splice(0)) next(text);
      listener = next;
    },
  };
}
