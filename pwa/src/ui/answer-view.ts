// renderTurn: one conversation turn as DOM, with the answer's confidence, abstention wording and a Teach form.
import type { ConversationTurn } from '../conversation-store.js';
import { h } from './create-element.js';

/** Called with (question, corrected answer) when the user teaches. */
export type TeachHandler = (question: string, answer: string) => Promise<void>;

/** What the user reads for an answer: abstentions say so in words. */
export function answerText(turn: ConversationTurn): string {
  return turn.decision === 'abstained' ? `Abstained: ${turn.text}` : turn.text;
}

/** The meta line: "confidence 0.93 · from model". */
export function answerMeta(turn: ConversationTurn): string {
  if (turn.confidence === undefined) return '';
  const stopped = turn.decision === 'stopped' ? ' · stopped' : '';
  return `confidence ${turn.confidence.toFixed(2)} · from ${turn.source ?? 'model'}${stopped}`;
}

function teachForm(question: string, onTeach: TeachHandler, close: () => void): HTMLFormElement {
  const input = h('input', { type: 'text', 'aria-label': 'Correct answer', placeholder: 'The right answer', required: true });
  const form = h('form', { class: 'teach' }, input, h('button', { type: 'submit' }, 'Save answer'), h('button', { type: 'button', onclick: close }, 'Cancel'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void onTeach(question, input.value.trim()).then(close);
  });
  queueMicrotask(() => input.focus());
  return form;
}

/** An article for one turn; `update` refreshes it while an answer streams. */
export function renderTurn(turn: ConversationTurn, onTeach: TeachHandler): { element: HTMLElement; update(next: ConversationTurn): void } {
  if (turn.role === 'user') {
    const element = h('article', { class: 'turn user' }, h('p', {}, turn.text));
    return { element, update: (next) => (element.firstElementChild!.textContent = next.text) };
  }
  const text = h('p', { class: 'text' }, answerText(turn));
  const meta = h('p', { class: 'meta' }, answerMeta(turn));
  const teach = h('button', { type: 'button', class: 'teach-button' }, 'Teach');
  const element = h('article', { class: 'turn assistant' }, text, meta, teach);
  let current = turn;
  teach.addEventListener('click', () => {
    if (element.querySelector('form.teach')) return;
    const form = teachForm(current.question ?? '', onTeach, () => {
      form.remove();
      teach.focus();
    });
    element.append(form);
  });
  const update = (next: ConversationTurn) => {
    current = next;
    text.textContent = answerText(next);
    meta.textContent = answerMeta(next);
    element.classList.toggle('abstained', next.decision === 'abstained');
  };
  update(turn);
  return { element, update };
}
