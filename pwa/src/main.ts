// The PWA's entry: service worker, persistent storage, the inference worker, and the chat / dashboard routes.
import type { AppContext } from './app-context.js';
import { applianceEngineLine } from './appliance-engine.js';
import { applianceTarget, loadSettings, modelChoiceOf, saveSettings, teacherOf, type AppSettings } from './app-settings.js';
import type { EngineReport } from './protocol/worker-protocol.js';
import { Conversation } from './conversation.js';
import { mountChat } from './ui/chat-view.js';
import { h } from './ui/create-element.js';
import { mountDashboard } from './ui/dashboard-view.js';
import { DownloadProgress, type ProgressView } from './ui/download-progress.js';
import { errorText } from './ui/error-text.js';
import { mountInstallButton } from './ui/install-button.js';
import { registerServiceWorker } from './ui/service-worker-updates.js';
import { engineFallbackText, mountSettings } from './ui/settings-panel.js';
import { WorkerClient, type ReadyInfo } from './worker-client.js';
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
/** Set when WASM took over from a lost GPU device: applying the settings, or the app coming back into view, then starts the chosen engine again. */
let engineReplaced = false;
/**
 * Returns to the GPU made by the app coming back into view, in this page's life. A phone reclaims the
 * GPU of a backgrounded app, so the device is lost while nobody looks; a device lost again and again
 * stays on WASM after this many, until the app restarts or the settings are applied.
 */
const MAX_RETURNS_TO_GPU = 3;
let returnsToGpu = 0;
/** Where app.client's model stands: a loaded one answers while another loads; a failed one is started again when the settings are applied. */
let clientState: 'loading' | 'ready' | 'failed' = 'loading';
/** Counts Applies: a switch that ends after a newer Apply started is dropped, its worker terminated. */
let applies = 0;
/** The switch under way, what it loads ("lexicon-tiny q4") and the engine line before it; a newer Apply ends it. */
let switching: { launched: LaunchedWorker; choice: string; before: string } | undefined;
/** The model and engine answering on the device, as a failed switch names them: "lexicon-tiny q8 (wasm-threaded)". */
let answering = '';
/** Its last measured speed, in tokens/s: a switch's loading line keeps showing it. */
let answeringSpeed: number | undefined;

function describeEngine(report: EngineReport): string {
  const threads = report.threads > 1 ? `, ${report.threads} threads` : '';
  return `Engine: ${report.chosen}${threads}`;
}

/** What the settings ask the device to run: "lexicon-tiny q4", with the engine when the user picked one. */
function describeChoice(settings: AppSettings): string {
  return `${settings.model} ${settings.dtype}${settings.engine === 'auto' ? '' : ` on ${settings.engine}`}`;
}

/** The engine line while a switch loads; the speed, when given, is the answering model's. */
function loadingLine(choice: string, tokensPerSecond?: number): string {
  const speed = tokensPerSecond === undefined ? '' : `, ${tokensPerSecond.toFixed(1)} tokens/s`;
  return `Engine: loading ${choice}… (${answering} answers meanwhile${speed})`;
}

/** The switch under way when the engine line is the device's (chat goes to the device, not an appliance). */
function shownSwitch(): typeof switching {
  return app.settings.backend === 'device' ? switching : undefined;
}

function showDeviceLine(text: string): void {
  engineLine.textContent = engineText = deviceEngineText = text;
}

function showDeviceEngine(engine: EngineReport, model: string): void {
  app.deviceEngine = engine;
  deviceEngineText = `${describeEngine(engine)} · model ${model}`;
  answering = `${model} (${engine.chosen})`;
  answeringSpeed = undefined;
  byId('engine-reasons').replaceChildren(...Object.entries(engine.rejected).map(([name, reason]) => h('li', {}, `${name}: ${reason}`)));
}

/** Says which engine answers: the appliance's (from its status) when chat goes there, else the device's. */
async function showEngine(): Promise<void> {
  const target = applianceTarget(app.settings);
  engineText = app.settings.backend === 'appliance' && target ? await applianceEngineLine(target) : deviceEngineText;
  // A probe's verdict on the answering model that lands during a switch keeps the loading line.
  const loading = shownSwitch();
  engineLine.textContent = loading ? loadingLine(loading.choice, answeringSpeed) : engineText;
}

function showProgress(view: ProgressView): void {
  progress.hidden = view.done;
  progress.max = view.total;
  progress.value = view.loaded;
  progressText.textContent = view.text;
}

/** A worker loading the model some settings ask for; it answers once main.ts makes it app.client. */
interface LaunchedWorker {
  client: WorkerClient;
  loaded: Promise<ReadyInfo>;
  /** Shows its engine as the one answering (once it is app.client and loaded). */
  showAnswering(ready: ReadyInfo): Promise<void>;
  /** Replaces its download line with why its model did not load. */
  showFailure(reason: string): void;
}

/** Starts a worker for `settings`: one progress line for all of its model's files, which download at once. */
function launchWorker(settings: AppSettings): LaunchedWorker {
  const downloads = new DownloadProgress();
  let measured: number | undefined;
  const showMeasured = () => {
    if (app.client === client && measured !== undefined && app.settings.backend === 'device') app.showSpeed(measured);
  };
  // The speed comes a moment after `ready`: from the probe, or from the warm-up.
  const client = new WorkerClient(
    (file, loaded, total) => showProgress(downloads.update(file, loaded, total)),
    (tokensPerSecond) => {
      measured = tokensPerSecond;
      showMeasured();
    },
    // The probe's choice, or WASM in place of a lost WebGPU device (the next answer reports its speed).
    (change) => {
      if (app.client !== client) return;
      showDeviceEngine(change.engine, change.model);
      if (switching) switching.before = deviceEngineText;
      measured = change.engine.probe?.[change.engine.chosen];
      void showEngine().then(showMeasured);
      if (change.cause === 'gpu-lost') {
        engineReplaced = true;
        app.announce(`The GPU was lost; answering on ${change.engine.chosen}.`);
      }
    },
  );
  return {
    client,
    loaded: client.start(new URL('./', location.href).href, settings.engine, modelChoiceOf(settings), teacherOf(settings)),
    async showAnswering(ready) {
      showDeviceEngine(ready.engine, ready.model);
      await showEngine();
      showMeasured();
    },
    showFailure: (reason) => showProgress(downloads.failed(reason)),
  };
}

/** Follows a worker that is app.client while its model loads (questions wait for it): at boot, or with no loaded model to keep. */
async function answerOn(launched: LaunchedWorker): Promise<void> {
  clientState = 'loading';
  engineReplaced = false;
  showDeviceLine('Engine: loading…');
  try {
    const ready = await launched.loaded;
    // A worker replaced while it loaded has answered the questions that waited for it, and is retired.
    if (app.client !== launched.client) return;
    clientState = 'ready';
    await launched.showAnswering(ready);
    document.body.dataset.ready = 'true';
  } catch (error) {
    // A worker replaced while it loaded fails with nothing to say.
    if (app.client !== launched.client) return;
    clientState = 'failed';
    const reason = errorText(error);
    launched.showFailure(reason);
    showDeviceLine(`Engine failed: ${reason}`);
    throw error;
  }
}

function useSettings(settings: AppSettings): void {
  app.settings = settings;
  saveSettings(settings);
}

/**
 * Moves to `launched` once its model is loaded; until then, and for good if it fails, the loaded one answers.
 * Resolves false when Apply number `apply` was superseded meanwhile.
 */
async function switchTo(launched: LaunchedWorker, next: AppSettings, apply: number): Promise<boolean> {
  const underway = { launched, choice: describeChoice(next), before: deviceEngineText };
  switching = underway;
  showDeviceLine(loadingLine(underway.choice, answeringSpeed));
  let ready: ReadyInfo;
  try {
    ready = await launched.loaded;
  } catch (error) {
    launched.client.terminate();
    if (apply !== applies) return false;
    switching = undefined;
    const reason = errorText(error);
    launched.showFailure(reason);
    showDeviceLine(underway.before);
    await showEngine();
    throw new Error(`Could not switch to ${describeChoice(next)}: ${reason}; still on ${answering}.`);
  }
  if (apply !== applies) {
    launched.client.terminate();
    return false;
  }
  switching = undefined;
  const replaced = app.client;
  app.client = launched.client;
  replaced.retire();
  engineReplaced = false;
  useSettings(next);
  await launched.showAnswering(ready);
  return true;
}

const saved = loadSettings();
const booting = launchWorker(saved);
const app: AppContext = {
  settings: saved,
  client: booting.client,
  announce: (text) => (statusLine.textContent = text),
  showSpeed(tokensPerSecond) {
    if (app.settings.backend === 'device') answeringSpeed = tokensPerSecond;
    const loading = shownSwitch();
    engineLine.textContent = loading ? loadingLine(loading.choice, tokensPerSecond) : `${engineText} · ${tokensPerSecond.toFixed(1)} tokens/s`;
  },
  async applySettings(next: AppSettings) {
    const apply = ++applies;
    const superseded = switching;
    switching = undefined;
    if (superseded) {
      superseded.launched.client.terminate();
      showDeviceLine(superseded.before);
    }
    const choiceChanged = next.engine !== app.settings.engine || JSON.stringify(modelChoiceOf(next)) !== JSON.stringify(modelChoiceOf(app.settings));
    // A failed or replaced engine is started again even when the settings did not change.
    if (!choiceChanged && clientState !== 'failed' && !engineReplaced) {
      useSettings(next);
      await app.client.configure(teacherOf(next));
      await showEngine();
      return true;
    }
    const launched = launchWorker(next);
    if (clientState === 'ready') return switchTo(launched, next, apply);
    // No loaded model to keep answering: the new worker answers new questions at once; those already
    // waiting stay with the replaced one, which stops once it has answered them.
    const replaced = app.client;
    app.client = launched.client;
    if (clientState === 'loading') replaced.retire();
    else replaced.terminate();
    useSettings(next);
    await answerOn(launched).catch((error: unknown) => {
      throw new Error(`Could not load ${describeChoice(next)}: ${errorText(error)}`);
    });
    return app.client === launched.client;
  },
};

/** When the app comes back into view after WASM took over from a lost GPU device, loads the chosen engine again; WASM answers meanwhile. */
function returnToGpuWhenShown(): void {
  const waiting = document.visibilityState === 'visible' && engineReplaced && clientState === 'ready' && !switching && app.settings.backend === 'device';
  if (!waiting || returnsToGpu >= MAX_RETURNS_TO_GPU) return;
  returnsToGpu++;
  app.announce('Back in view: loading the model on the GPU again; WASM answers meanwhile.');
  void app
    .applySettings(app.settings)
    .then((switched) => {
      const engine = app.deviceEngine;
      if (!switched || !engine) return;
      const fallback = engineFallbackText('webgpu', engine);
      app.announce(fallback ? `Back in view. ${fallback}` : `Back on ${engine.chosen}.`);
    })
    .catch((error: unknown) => app.announce(errorText(error)));
}

/** Loaded once: every chat view shows this one conversation, an answer still under way included. */
const conversation = Conversation.load();
let leave: () => void = () => {};
/** Counts routes: a view still loading when a later route starts is dropped, never shown beside it. */
let routes = 0;
async function route(): Promise<void> {
  const current = ++routes;
  leave();
  leave = () => {};
  view.replaceChildren();
  if (location.hash === '#/dashboard') {
    leave = mountDashboard(view, app);
    return;
  }
  // Shown only if no later route started while the conversation loaded.
  const shown = await conversation;
  if (current !== routes) return;
  const chat = document.createDocumentFragment();
  leave = mountChat(chat, app, shown);
  mountSettings(chat, app, () => shown.clear());
  view.append(chat);
}

/** What a page over plain HTTP (not localhost) lacks: browsers keep Cache Storage, service workers and install for secure contexts. */
const plainHttpStorage = 'Storage: none over plain HTTP — the model is downloaded again on every visit, and the app cannot be installed or work offline. Open it over HTTPS (on the appliance: nexusctl tls init).';

async function requestPersistence(): Promise<void> {
  if (!isSecureContext) {
    byId('storage').textContent = plainHttpStorage;
    return;
  }
  const persisted = (await navigator.storage?.persist?.()) ?? false;
  byId('storage').textContent = persisted ? 'Storage: persistent' : 'Storage: best effort (the browser may evict the model)';
}

mountInstallButton(byId('install'));
document.addEventListener('visibilitychange', returnToGpuWhenShown);
window.addEventListener('hashchange', () => void route());
void route();
// A failed load is on the engine line; applying the settings retries it.
answerOn(booting).catch(() => undefined);
void requestPersistence();
void registerServiceWorker(byId('update')).catch((error: Error) => app.announce(`Offline support unavailable: ${error.message}`));
