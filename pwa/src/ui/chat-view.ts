// The chat view: conversation log, message box, Send and Stop, showing the one conversation as it changes.
import type { AppContext } from '../app-context.js';
import { applianceTarget } from '../app-settings.js';
import { askAppliance } from '../appliance-chat.js';
import { teachAppliance } from '../appliance-teach.js';
import type { Conversation, ConversationChange, ConversationEntry, PendingAnswer } from '../conversation.js';
import type { DeltaListener } from '../worker-client.js';
import { renderTurn, type TeachHandler } from './answer-view.js';
import { h } from './create-element.js';
import { errorText } from './error-text.js';

/** Builds the chat into `container` for `conversation`; returns a function that stops following it. */
export function mountChat(container: ParentNode, app: AppContext, conversation: Conversation): () => void {
  const log = h('div', { role: 'log', 'aria-label': 'Conversation', 'aria-live': 'polite', class: 'log', tabindex: '0' });
  const message = h('input', { id: 'message', type: 'text', autocomplete: 'off', placeholder: 'What does river mean?' });
  const send = h('button', { type: 'submit' }, 'Send');
  const stop = h('button', { type: 'button', disabled: true }, 'Stop');
  const form = h('form', { class: 'composer' }, h('label', { for: 'message' }, 'Message'), message, send, stop);
  container.append(log, form);

  // Where chat goes to an appliance, corrections go there too; otherwise to this device.
  const onTeach: TeachHandler = async (turn, answer) => {
    const question = turn.question ?? '';
    const appliance = app.settings.backend === 'appliance' ? applianceTarget(app.settings) : undefined;
    try {
      const size = appliance ? await teachAppliance(appliance, question, answer) : await app.client.teach(question, answer);
      app.announce(`Taught "${question}"${appliance ? ' on the appliance' : ''} (${size} in memory).`);
    } catch (error) {
      app.announce(`Teaching failed: ${errorText(error)}`);
      throw error;
    }
  };

  const shown = new Map<number, { role: string; view: ReturnType<typeof renderTurn> }>();
  const show = (entry: ConversationEntry) => {
    const view = renderTurn(entry.turn, onTeach);
    shown.set(entry.id, { role: entry.turn.role, view });
    return view.element;
  };
  const showPending = (pending: boolean) => {
    stop.disabled = !pending;
    send.disabled = pending;
  };
  log.append(...conversation.all.map(show));
  showPending(conversation.pending);

  const unsubscribe = conversation.subscribe((change: ConversationChange) => {
    if (change.type === 'cleared') {
      shown.clear();
      log.replaceChildren();
    } else if (change.type === 'pending') {
      showPending(change.pending);
      if (!change.pending && message.isConnected) message.focus();
    } else if (change.type === 'added') {
      const before = change.before === undefined ? undefined : shown.get(change.before)?.view.element;
      if (before) before.before(show(change.entry));
      else log.append(show(change.entry));
    } else {
      const current = shown.get(change.entry.id);
      if (current?.role === change.entry.turn.role) current.view.update(change.entry.turn);
      else current?.view.element.replaceWith(show(change.entry));
    }
    // The finished answer is taller than the streamed text (meta line): its Teach button is shown whole.
    log.scrollTop = log.scrollHeight;
  });
  stop.addEventListener('click', () => conversation.stop());
  // While an answer is under way, Escape stops it; Enter (Send is disabled) says why the question stays in the box.
  message.addEventListener('keydown', (event) => {
    if (!conversation.pending) return;
    if (event.key === 'Escape') conversation.stop();
    else if (event.key === 'Enter' && message.value.trim()) app.announce('An answer is under way: wait for it, or stop it (Stop or Escape), then send.');
  });

  /** Asks the appliance when chat goes there, else the device's worker (a question sent while its model loads waits for it). */
  function answer(prompt: string, onDelta: DeltaListener): PendingAnswer {
    const target = applianceTarget(app.settings);
    if (app.settings.backend === 'appliance' && target) {
      const controller = new AbortController();
      return { answer: askAppliance(target, prompt, (text) => onDelta(text, false), controller.signal), stop: () => controller.abort() };
    }
    const client = app.client;
    const asked = client.ask(prompt, onDelta);
    return { answer: asked.answer, stop: () => void client.stop(asked.id) };
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const prompt = message.value.trim();
    if (!prompt || conversation.pending) return;
    message.value = '';
    void conversation.ask(prompt, (onDelta) => answer(prompt, onDelta)).then((done) => {
      if (done && done.tokensPerSecond > 0) app.showSpeed(done.tokensPerSecond);
    });
  });

  return unsubscribe;
}
