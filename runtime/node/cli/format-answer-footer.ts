// formatAnswerFooter: the dim line after an answer (confidence, decision, source, speed).
import pc from 'picocolors';
import type { AnswerSummary } from './answer-stream.js';

/** e.g. `confidence 0.93 · answered · model · 12 tok · 41.2 tok/s`, dimmed; abstentions in yellow. */
export function formatAnswerFooter(answer: AnswerSummary): string {
  const decision = answer.decision === 'answered' ? answer.decision : pc.yellow(answer.decision);
  const speed = answer.timings?.decodeTokensPerSecond;
  const parts = [
    `confidence ${answer.confidence.toFixed(2)}`,
    decision,
    answer.source,
    `${answer.usage?.completionTokens ?? 0} tok`,
    // An answer that ran out of tokens reads as complete otherwise ('river (' answered).
    ...(answer.finishReason === 'length' ? [pc.yellow('cut off at the token limit (--max-tokens)')] : []),
    ...(typeof speed === 'number' && Number.isFinite(speed) && speed > 0 ? [`${speed.toFixed(1)} tok/s`] : []),
  ];
  return pc.dim(parts.join(' · '));
}
