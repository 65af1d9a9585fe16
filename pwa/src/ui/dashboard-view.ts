// The appliance dashboard (#/dashboard): status, metrics, live events, and pause / resume / save for admins.
import { readSseEvents } from '../../../runtime/node/cli/sse-events.js';
import type { AppContext } from '../app-context.js';
import { applianceBase } from '../app-settings.js';
import { applianceError } from '../appliance-error.js';
import { bearerHeader } from '../appliance-fetch.js';
import { applianceOfPage } from '../appliance-of-page.js';
import { h } from './create-element.js';

const MAX_EVENTS = 200;

/** Builds the dashboard into `container` for `base` until `signal` aborts. */
function showDashboard(container: HTMLElement, base: string, app: AppContext, signal: AbortSignal): void {
  const key = h('input', { type: 'password', id: 'admin-key', autocomplete: 'off' });
  const status = h('pre', { class: 'panel', 'aria-label': 'Status' });
  const metrics = h('pre', { class: 'panel', 'aria-label': 'Metrics' });
  const events = h('ol', { role: 'log', 'aria-label': 'Events', class: 'events' });
  // The admin key typed here, else the appliance API key of the settings.
  const headers = (): Record<string, string> => bearerHeader(key.value || app.settings.applianceKey);

  async function refresh(): Promise<void> {
    try {
      status.textContent = JSON.stringify(await (await fetch(`${base}/api/status`, { headers: headers() })).json(), null, 2);
      metrics.textContent = await (await fetch(`${base}/metrics`, { headers: headers() })).text();
    } catch (error) {
      status.textContent = `Unreachable: ${(error as Error).message}`;
    }
  }

  async function control(action: 'pause' | 'resume' | 'save'): Promise<void> {
    const response = await fetch(`${base}/api/control`, { method: 'POST', headers: { ...headers(), 'content-type': 'application/json' }, body: JSON.stringify({ action }) }).catch(() => undefined);
    if (!response) app.announce(`Appliance: ${action} failed (unreachable).`);
    else if (response.ok) app.announce(`Appliance: ${action} done.`);
    else app.announce(`Appliance: ${action} failed: ${(await applianceError(response, 'admin')).message}.`);
    await refresh();
  }

  /** The event stream now followed: Refresh ends it and follows again with the key typed since. */
  let stream = new AbortController();
  async function follow(following: AbortSignal): Promise<void> {
    const response = await fetch(`${base}/api/events`, { headers: headers(), signal: following });
    if (!response.ok || !response.body) {
      const refused = response.ok ? 'the appliance sent no stream' : (await applianceError(response, 'read')).message;
      events.replaceChildren(h('li', {}, `No live events: ${refused}.`));
      return;
    }
    events.replaceChildren();
    for await (const event of readSseEvents(response.body)) {
      events.prepend(h('li', {}, `${new Date().toLocaleTimeString()} ${event.event}: ${event.data}`));
      while (events.childElementCount > MAX_EVENTS) events.lastElementChild?.remove();
    }
  }

  const followAgain = () => {
    stream.abort();
    stream = new AbortController();
    follow(AbortSignal.any([signal, stream.signal])).catch((error: Error) => {
      if (error.name !== 'AbortError') events.prepend(h('li', {}, `event stream closed: ${error.message}`));
    });
  };
  const refreshAll = async () => {
    followAgain();
    await refresh();
  };
  const button = (label: string, run: () => Promise<void>) => h('button', { type: 'button', onclick: () => void run() }, label);
  container.append(
    h('h2', {}, `Dashboard: ${base}`),
    h('div', { class: 'controls' }, h('label', { for: 'admin-key' }, 'Admin key'), key, button('Refresh', refreshAll), button('Pause', () => control('pause')), button('Resume', () => control('resume')), button('Save', () => control('save'))),
    h('h3', {}, 'Status'),
    status,
    h('h3', {}, 'Live events'),
    events,
    h('h3', {}, 'Metrics'),
    metrics,
  );
  void refreshAll();
}

/**
 * Builds the dashboard into `container` for the appliance URL in the settings or, with none set,
 * the appliance serving this page; returns a function that stops its event stream.
 */
export function mountDashboard(container: HTMLElement, app: AppContext): () => void {
  const controller = new AbortController();
  const configured = applianceBase(app.settings);
  void (configured ? Promise.resolve(configured) : applianceOfPage(controller.signal)).then((base) => {
    if (controller.signal.aborted) return;
    if (base) showDashboard(container, base, app, controller.signal);
    else container.append(h('h2', {}, 'Dashboard'), h('p', {}, 'Set an appliance URL in the chat settings to see its dashboard.'));
  });
  return () => controller.abort();
}
