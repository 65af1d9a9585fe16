// renderTurn: one conversation turn as DOM — a question, an answer (confidence, abstention, stopped) with its Teach form, or an error.
import type { ConversationTurn } from '../conversation-turn.js';
import { h } from './create-element.js';
import { errorText } from './error-text.js';

/** Stores the user's correction of `turn`; rejects with what went wrong (the form stays open to show it). */
export type TeachHandler = (turn: ConversationTurn, answer: string) => Promise<void>;

/** False for an answer the user stopped before the gate decided: its confidence was never checked. */
function gateDecided(turn: ConversationTurn): turn is ConversationTurn & { confidence: number } {
  return turn.confidence !== undefined && !(turn.stopped && turn.decision === 'stopped');
}

/** What the user reads for an answer: abstentions say so in words (their confidence is in the meta line, once). */
export function answerText(turn: ConversationTurn): string {
  if (turn.stopped && !turn.text) return 'Stopped before the answer was checked.';
  return turn.decision === 'abstained' ? `Abstained: ${turn.text.replace(/\s*\(confidence \d+(?:\.\d+)?\)/, '')}` : turn.text;
}

/** The meta line: "confidence 0.93 · from model", only for a confidence the gate checked. */
export function answerMeta(turn: ConversationTurn): string {
  if (!gateDecided(turn)) return '';
  const cutOff = turn.decision === 'stopped' && !turn.stopped ? ' · stopped: the confidence fell' : '';
  return `confidence ${turn.confidence.toFixed(2)} · from ${turn.source ?? 'model'}${cutOff}`;
}

function teachForm(turn: ConversationTurn, onTeach: TeachHandler, close: () => void): HTMLFormElement {
  const input = h('input', { type: 'text', 'aria-label': 'Correct answer', placeholder: 'The right answer', required: true });
  const problem = h('p', { class: 'teach-error', role: 'alert' });
  const save = h('button', { type: 'submit' }, 'Save answer');
  // Checked here rather than by the browser, so a blank answer reads like any other problem.
  const form = h('form', { class: 'teach', novalidate: true }, input, save, h('button', { type: 'button', onclick: close }, 'Cancel'), problem);
  form.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    close();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const answer = input.value.trim();
    if (!answer) {
      problem.textContent = 'Type the right answer first.';
      return input.focus();
    }
    problem.textContent = '';
    save.disabled = true;
    onTeach(turn, answer)
      .then(close, (error: unknown) => {
        problem.textContent = `Not saved: ${errorText(error)}`;
        input.focus();
      })
      .finally(() => (save.disabled = false));
  });
  queueMicrotask(() => input.focus());
  return form;
}

function renderAnswerText(element: HTMLElement, turn: ConversationTurn): void {
  element.replaceChildren(answerText(turn), turn.stopped && turn.text ? h('span', { class: 'stopped-mark' }, ' [stopped]') : '');
}

/** An article for one turn; `update` refreshes an answer while it streams. */
export function renderTurn(turn: ConversationTurn, onTeach: TeachHandler): { element: HTMLElement; update(next: ConversationTurn): void } {
  if (turn.role === 'user') {
    const element = h('article', { class: 'turn user' }, h('p', {}, turn.text));
    return { element, update: (next) => (element.firstElementChild!.textContent = next.text) };
  }
  if (turn.role === 'error') {
    const reason = h('span', {}, turn.text);
    const element = h('article', { class: 'turn error' }, h('p', { class: 'text' }, h('strong', {}, 'Not answered: '), reason));
    return { element, update: (next) => (reason.textContent = next.text) };
  }
  const text = h('p', { class: 'text' });
  const meta = h('p', { class: 'meta' });
  const teach = h('button', { type: 'button', class: 'teach-button' }, 'Teach');
  const element = h('article', { class: 'turn assistant' }, text, meta, teach);
  let current = turn;
  teach.addEventListener('click', () => {
    if (element.querySelector('form.teach')) return;
    const form = teachForm(current, onTeach, () => {
      form.remove();
      teach.focus();
    });
    element.append(form);
    // The last answer's form opens below the fold of the conversation: its buttons are brought into view.
    form.scrollIntoView({ block: 'nearest' });
  });
  const update = (next: ConversationTurn) => {
    current = next;
    renderAnswerText(text, next);
    meta.textContent = answerMeta(next);
    element.classList.toggle('abstained', next.decision === 'abstained');
    element.classList.toggle('stopped', next.stopped === true);
    // Nothing to show or teach yet (the model still loading, or the first token not come): the view says it waits.
    const waiting = next.text === '' && next.decision === undefined && next.stopped !== true;
    element.classList.toggle('waiting', waiting);
    teach.hidden = waiting;
  };
  update(turn);
  return { element, update };
}
