// The appliance dashboard (#/dashboard): status, metrics, live events, and pause / resume / save for admins.
import { readSseEvents } from '../../../runtime/node/cli/sse-events.js';
import { statusRows, type StatusRow } from '../../../runtime/node/cli/status-rows.js';
import type { AppContext } from '../app-context.js';
import { applianceBase } from '../app-settings.js';
import { applianceError, applianceUnreachable } from '../appliance-error.js';
import { bearerHeader } from '../appliance-fetch.js';
import { applianceOfPage } from '../appliance-of-page.js';
import { h } from './create-element.js';
import { eventLine } from './event-line.js';
import { metricsSummary } from './metrics-summary.js';

const MAX_EVENTS = 200;

/** Labelled rows as a definition list, each value's tone a class (its colour) and its note after it. */
function rowList(rows: readonly StatusRow[]): HTMLElement {
  return h('dl', { class: 'rows' }, ...rows.flatMap(({ label, value, tone, note }) => [h('dt', {}, label), h('dd', tone ? { class: `tone-${tone}` } : {}, value, note ? h('span', { class: 'note' }, ` (${note})`) : '')]));
}

/** A readable part of the dashboard (`label`: its accessible name) with the appliance's own text folded under it. */
function readablePanel(label: string, rawLabel: string): { element: HTMLElement; show(rows: readonly StatusRow[], raw: string): void; fail(why: string): void } {
  const readable = h('div', { role: 'group', 'aria-label': label });
  const raw = h('pre', { class: 'panel' });
  return {
    element: h('div', {}, readable, h('details', {}, h('summary', {}, rawLabel), raw)),
    show(rows, text) {
      readable.replaceChildren(rowList(rows));
      raw.textContent = text;
    },
    fail(why) {
      readable.replaceChildren(h('p', { class: 'tone-bad' }, why));
      raw.textContent = '';
    },
  };
}

/** Builds the dashboard into `container` for `base` until `signal` aborts. */
function showDashboard(container: HTMLElement, base: string, app: AppContext, signal: AbortSignal): void {
  const key = h('input', { type: 'password', id: 'admin-key', autocomplete: 'off' });
  const status = readablePanel('Status', 'As sent (JSON)');
  const metrics = readablePanel('Metrics', 'As sent (Prometheus)');
  const events = h('ol', { role: 'log', 'aria-label': 'Events', class: 'events' });
  // Heartbeats (every 15 s) would push the events that matter out of the list: only the latest is shown, here.
  const pulse = h('p', { class: 'pulse' });
  // The admin key typed here, else the appliance API key of the settings.
  const headers = (): Record<string, string> => bearerHeader(key.value || app.settings.applianceKey);

  /** GET `path` with the key; the response when OK, else undefined once `panel` says why. */
  async function read(path: string, panel: ReturnType<typeof readablePanel>): Promise<Response | undefined> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, { headers: headers() });
    } catch (error) {
      panel.fail(applianceUnreachable(base, error).message);
      return undefined;
    }
    if (response.ok) return response;
    panel.fail((await applianceError(response, 'read')).message);
    return undefined;
  }

  async function refresh(): Promise<void> {
    const statusResponse = await read('/api/status', status);
    const body = (await statusResponse?.json().catch(() => undefined)) as object | undefined;
    if (body) status.show(statusRows(body), JSON.stringify(body, null, 2));
    else if (statusResponse) status.fail(`${base}/api/status sent no JSON: is this a Nexus Edge appliance?`);
    const metricsResponse = await read('/metrics', metrics);
    if (metricsResponse) {
      const text = await metricsResponse.text();
      metrics.show(metricsSummary(text), text);
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
      pulse.textContent = '';
      return;
    }
    events.replaceChildren();
    pulse.textContent = 'Following the live events.';
    for await (const event of readSseEvents(response.body)) {
      const line = eventLine(event);
      if (line.heartbeat) {
        pulse.textContent = `Following the live events; the last heartbeat: ${line.text}`;
        continue;
      }
      events.prepend(h('li', {}, line.text));
      while (events.childElementCount > MAX_EVENTS) events.lastElementChild?.remove();
    }
    pulse.textContent = 'The appliance ended the live events; Refresh follows them again.';
  }

  const followAgain = () => {
    stream.abort();
    stream = new AbortController();
    follow(AbortSignal.any([signal, stream.signal])).catch((error: Error) => {
      if (error.name === 'AbortError') return;
      events.prepend(h('li', {}, `event stream closed: ${error.message}`));
      pulse.textContent = 'The live events stopped; Refresh follows them again.';
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
    status.element,
    h('h3', {}, 'Live events'),
    pulse,
    events,
    h('h3', {}, 'Metrics'),
    metrics.element,
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
    // Offline, the appliance serving this page cannot answer either: the URL setting is not what is missing.
    else if (!navigator.onLine) container.append(h('h2', {}, 'Dashboard'), h('p', {}, 'Offline: the dashboard shows an appliance, which needs the network. Chat on this device works offline.'));
    else container.append(h('h2', {}, 'Dashboard'), h('p', {}, 'Set an appliance URL in the chat settings to see its dashboard.'));
  });
  return () => controller.abort();
}
