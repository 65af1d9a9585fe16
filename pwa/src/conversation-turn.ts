// ConversationTurn: one line of the conversation as the chat shows it and IndexedDB keeps it.
import type { AnswerDecision, AnswerSource } from '../../runtime/core/index.js';

/** One line of the conversation as shown. */
export interface ConversationTurn {
  /** `error`: the question got no answer; the text says why (there is nothing to teach). */
  role: 'user' | 'assistant' | 'error';
  text: string;
  /** For answers: the question they answer (what "Teach" corrects). */
  question?: string;
  confidence?: number;
  decision?: AnswerDecision;
  source?: AnswerSource;
  /** The user stopped the answer: its text is cut off. */
  stopped?: boolean;
}
