// The chat view: conversation log, message box, Send and Stop, streaming answers from the device or an appliance.
import type { AppContext } from '../app-context.js';
import { applianceTarget } from '../app-settings.js';
import { askAppliance } from '../appliance-chat.js';
import { teachAppliance } from '../appliance-teach.js';
import { loadConversation, saveConversation, type ConversationTurn } from '../conversation-store.js';
import type { AnswerView } from '../protocol/worker-protocol.js';
import type { DeltaListener } from '../worker-client.js';
import { renderTurn, type TeachHandler } from './answer-view.js';
import { h } from './create-element.js';
import { errorText } from './error-text.js';

/** Builds the chat into `container`; returns a function that clears the conversation. */
export async function mountChat(container: ParentNode, app: AppContext): Promise<() => Promise<void>> {
  const turns = await loadConversation();
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
  for (const turn of turns) log.append(renderTurn(turn, onTeach).element);

  let cancel: (() => void) | undefined;
  stop.addEventListener('click', () => cancel?.());

  /** Asks the appliance when chat goes there, else the device's worker (a question sent while its model loads waits for it). */
  async function answer(prompt: string, onDelta: DeltaListener): Promise<AnswerView> {
    const target = applianceTarget(app.settings);
    if (app.settings.backend === 'appliance' && target) {
      const controller = new AbortController();
      cancel = () => controller.abort();
      return askAppliance(target, prompt, (text) => onDelta(text, false), controller.signal);
    }
    const client = app.client;
    const asked = client.ask(prompt, onDelta);
    cancel = () => void client.stop(asked.id);
    return asked.answer;
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const prompt = message.value.trim();
    if (!prompt || !stop.disabled) return;
    message.value = '';
    const user: ConversationTurn = { role: 'user', text: prompt };
    let reply: ConversationTurn = { role: 'assistant', text: '', question: prompt };
    const view = renderTurn(reply, onTeach);
    log.append(renderTurn(user, onTeach).element, view.element);
    stop.disabled = false;
    send.disabled = true;
    void answer(prompt, (text, restart) => {
      reply = { ...reply, text: (restart ? '' : reply.text) + text };
      view.update(reply);
      log.scrollTop = log.scrollHeight;
    })
      .then((done) => {
        reply = { ...reply, text: done.text, confidence: done.confidence, decision: done.decision, source: done.source, stopped: done.stopped };
        if (done.tokensPerSecond > 0) app.showSpeed(done.tokensPerSecond);
        view.update(reply);
      })
      .catch((error: unknown) => {
        reply = { role: 'error', text: errorText(error), question: prompt };
        view.element.replaceWith(renderTurn(reply, onTeach).element);
      })
      .finally(() => {
        // The finished answer is taller than the streamed text (meta line): its Teach button is shown whole.
        log.scrollTop = log.scrollHeight;
        turns.push(user, reply);
        void saveConversation(turns);
        cancel = undefined;
        stop.disabled = true;
        send.disabled = false;
        message.focus();
      });
  });

  return async () => {
    turns.length = 0;
    log.replaceChildren();
    await saveConversation(turns);
  };
}
