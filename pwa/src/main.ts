// The PWA's entry: service worker, persistent storage, the inference worker, and the chat / dashboard routes.
import { toNexusError } from '../../runtime/core/index.js';
import type { AppContext } from './app-context.js';
import { applianceEngineLine } from './appliance-engine.js';
import { applianceBase, loadSettings, modelChoiceOf, saveSettings, type AppSettings } from './app-settings.js';
import type { EngineReport } from './protocol/worker-protocol.js';
import { mountChat } from './ui/chat-view.js';
import { h } from './ui/create-element.js';
import { mountDashboard } from './ui/dashboard-view.js';
import { DownloadProgress } from './ui/download-progress.js';
import { mountInstallButton } from './ui/install-button.js';
import { registerServiceWorker } from './ui/service-worker-updates.js';
import { mountSettings } from './ui/settings-panel.js';
import { WorkerClient } from './worker-client.js';
import './styles.css';

const byId = (id: string) => document.getElementById(id) as HTMLElement;
const view = byId('view');
const statusLine = byId('status');
const engineLine = byId('engine');
const progress = byId('download') as HTMLProgressElement;
const progressText = byId('download-text');
let engineText = 'Engine: loading…';
/** The on-device engine's line, kept while chat goes to an appliance so switching back restores it. */
let deviceEngineText = engineText;
/** Set when WASM took over from a lost GPU device: applying the settings then starts the chosen engine again. */
let engineReplaced = false;

function describeEngine(report: EngineReport): string {
  const threads = report.threads > 1 ? `, ${report.threads} threads` : '';
  return `Engine: ${report.chosen}${threads}`;
}

const app: AppContext = {
  settings: loadSettings(),
  client: undefined,
  announce: (text) => (statusLine.textContent = text),
  showSpeed: (tokensPerSecond) => (engineLine.textContent = `${engineText} · ${tokensPerSecond.toFixed(1)} tokens/s`),
  async applySettings(next: AppSettings) {
    // A failed or replaced engine is retried even when the settings did not change.
    const reload = !app.client || engineReplaced || next.engine !== app.settings.engine || JSON.stringify(modelChoiceOf(next)) !== JSON.stringify(modelChoiceOf(app.settings));
    app.settings = next;
    saveSettings(next);
    if (reload) await startWorker();
    else await app.client?.configure(applianceBase(next));
    await showEngine();
  },
};

/** Says which engine answers: the appliance's (from its status) when chat goes there, else the device's. */
async function showEngine(): Promise<void> {
  const base = applianceBase(app.settings);
  engineText = app.settings.backend === 'appliance' && base ? await applianceEngineLine(base) : deviceEngineText;
  engineLine.textContent = engineText;
}

/** The model's files download at once: one bar for all of them, for each model the worker loads. */
let downloads = new DownloadProgress();

function showProgress(file: string, loaded: number, total: number): void {
  const view = downloads.update(file, loaded, total);
  progress.hidden = view.done;
  progress.max = view.total;
  progress.value = view.loaded;
  progressText.textContent = view.text;
}

async function startWorker(): Promise<void> {
  app.client?.terminate();
  app.client = undefined;
  engineReplaced = false;
  engineLine.textContent = engineText = deviceEngineText = 'Engine: loading…';
  downloads = new DownloadProgress();
  let measured: number | undefined;
  const showMeasured = () => {
    if (app.client === client && measured !== undefined && app.settings.backend === 'device') app.showSpeed(measured);
  };
  const showDeviceEngine = (engine: EngineReport, model: string) => {
    deviceEngineText = `${describeEngine(engine)} · model ${model}`;
    byId('engine-reasons').replaceChildren(...Object.entries(engine.rejected).map(([name, reason]) => h('li', {}, `${name}: ${reason}`)));
  };
  // The speed comes a moment after `ready`: from the probe, or from the warm-up.
  const client = new WorkerClient(
    showProgress,
    (tokensPerSecond) => {
      measured = tokensPerSecond;
      showMeasured();
    },
    // The probe's choice, or WASM in place of a lost WebGPU device (the next answer reports its speed).
    (change) => {
      if (app.client !== client) return;
      showDeviceEngine(change.engine, change.model);
      measured = change.engine.probe?.[change.engine.chosen];
      void showEngine().then(showMeasured);
      if (change.cause === 'gpu-lost') {
        engineReplaced = true;
        app.announce(`The GPU was lost; answering on ${change.engine.chosen}.`);
      }
    },
  );
  try {
    const ready = await client.start(new URL('./', location.href).href, app.settings.engine, modelChoiceOf(app.settings), applianceBase(app.settings));
    app.client = client;
    showDeviceEngine(ready.engine, ready.model);
    await showEngine();
    showMeasured();
    document.body.dataset.ready = 'true';
  } catch (error) {
    engineLine.textContent = engineText = deviceEngineText = `Engine failed: ${toNexusError(error).message}`;
  }
}

let leave: () => void = () => {};
async function route(): Promise<void> {
  leave();
  view.replaceChildren();
  if (location.hash === '#/dashboard') {
    leave = mountDashboard(view, app);
    return;
  }
  leave = () => {};
  const clear = await mountChat(view, app);
  mountSettings(view, app, clear);
}

async function requestPersistence(): Promise<void> {
  const persisted = (await navigator.storage?.persist?.()) ?? false;
  byId('storage').textContent = persisted ? 'Storage: persistent' : 'Storage: best effort (the browser may evict the model)';
}

mountInstallButton(byId('install'));
window.addEventListener('hashchange', () => void route());
void route();
void startWorker();
void requestPersistence();
void registerServiceWorker(byId('update')).catch((error: Error) => app.announce(`Offline support unavailable: ${error.message}`));
