// startStreamedGeneration: starts a generation and waits until it holds a slot, so refusals stay plain HTTP errors.
import type { Answer, AskRequest } from '../../core/assistant/answer.js';
import type { Daemon } from '../appliance/daemon.js';
import { checkPromptFits } from './check-prompt-fits.js';

/** A generation that has been admitted: its deltas so far can be drained, then followed. */
export interface StreamedGeneration {
  /** Calls `listener` with the deltas buffered so far, then with each new one. */
  follow(listener: (text: string) => void): void;
  answer: Promise<Answer>;
}

/**
 * Checks the prompt, starts `request` on the daemon and resolves once it is admitted; rejects with
 * the refusal (PROMPT_TOO_LONG, EMPTY_PROMPT, QUEUE_FULL, PAUSED, …) so the route answers it as a
 * JSON error before any SSE byte is sent.
 */
export async function startStreamedGeneration(daemon: Daemon, request: AskRequest): Promise<StreamedGeneration> {
  checkPromptFits(daemon, request);
  const buffered: string[] = [];
  let listener: ((text: string) => void) | undefined;
  let admit: () => void = () => undefined;
  const admitted = new Promise<void>((resolve) => (admit = resolve));
  const answer = daemon.generate(request, {
    onAdmitted: () => admit(),
    onDelta: (text) => (listener ? listener(text) : buffered.push(text)),
  });
  await Promise.race([admitted, answer]);
  return {
    answer,
    follow(next) {
      for (const text of buffered.splice(0)) next(text);
      listener = next;
    },
  };
}
