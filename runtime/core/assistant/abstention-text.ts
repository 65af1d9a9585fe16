// abstentionText: what the user reads when the gate abstains.

/** "I don't know that" with the confidence that made the gate abstain. */
export function abstentionText(confidence: number): string {
  return `I don't know that (confidence ${confidence.toFixed(2)}).`;
}
