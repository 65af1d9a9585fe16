// The settings panel: backend, engine and model choice, checkpoint export / import / sync, new conversation.
import { parseModelRegistry } from '../../../runtime/core/index.js';
import type { AppContext } from '../app-context.js';
import { applianceTarget, type AppSettings } from '../app-settings.js';
import { applianceError } from '../appliance-error.js';
import { applianceFetch } from '../appliance-fetch.js';
import { applianceOfPage } from '../appliance-of-page.js';
import type { EngineChoice, EngineReport } from '../protocol/worker-protocol.js';
import { h } from './create-element.js';
import { errorText } from './error-text.js';

const engines: Record<EngineChoice, string> = { auto: 'Automatic (measured)', webgpu: 'WebGPU', 'wasm-threaded': 'WASM, threaded', 'wasm-single': 'WASM, single thread' };

/** Why `wanted` does not answer on this device and which engine does instead; undefined when it answers. */
export function engineFallbackText(wanted: Exclude<EngineChoice, 'auto'>, running: EngineReport): string | undefined {
  if (running.chosen === wanted) return undefined;
  return `${engines[wanted]} cannot run here (${running.rejected[wanted] ?? 'not available'}): answering with ${engines[running.chosen]}.`;
}

/** What Apply says once the settings are in use: also when the engine chosen could not run here, and why. */
export function settingsSavedText(settings: AppSettings, running: EngineReport | undefined): string {
  const fallback = settings.backend === 'device' && settings.engine !== 'auto' && running ? engineFallbackText(settings.engine, running) : undefined;
  return fallback ? `Settings saved. ${fallback}` : 'Settings saved.';
}

function download(bytes: Uint8Array, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes.slice().buffer], { type: 'application/octet-stream' }));
  const link = h('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Builds the settings into a <details> element; `clearConversation` empties the chat. */
export function mountSettings(container: ParentNode, app: AppContext, clearConversation: () => Promise<void>): void {
  const current = app.settings;
  const device = h('input', { type: 'radio', name: 'backend', value: 'device', id: 'backend-device', checked: current.backend === 'device' });
  const appliance = h('input', { type: 'radio', name: 'backend', value: 'appliance', id: 'backend-appliance', checked: current.backend === 'appliance' });
  const url = h('input', { type: 'url', id: 'appliance-url', value: current.applianceUrl, placeholder: 'https://pi.local:8080' });
  const key = h('input', { type: 'password', id: 'appliance-key', value: current.applianceKey, autocomplete: 'off' });
  const engine = h('select', { id: 'engine-choice' }, ...Object.entries(engines).map(([value, label]) => h('option', { value, selected: value === current.engine }, label)));
  const file = h('input', { type: 'file', id: 'import-file', accept: '.nxck,application/octet-stream' });
  const model = h('select', { id: 'model-choice' }, h('option', { value: current.model, selected: true }, current.model));
  const dtype = h('select', { id: 'dtype-choice' }, ...['q8', 'q4'].map((value) => h('option', { value, selected: value === current.dtype }, value)));
  const mirror = h('input', { type: 'url', id: 'model-mirror', value: current.modelMirror, placeholder: 'https://huggingface.co (or your mirror)' });
  void fetch(new URL('models/registry.json', location.href))
    .then(async (response) => parseModelRegistry(await response.json()))
    .then((entries) => model.replaceChildren(...entries.map((entry) => h('option', { value: entry.id, selected: entry.id === current.model }, `${entry.name}${entry.builtin ? '' : ' (download)'}`))))
    .catch(() => undefined);

  const withClient = async (action: string, run: () => Promise<string>) => {
    try {
      app.announce(await run());
    } catch (error) {
      app.announce(`${action} failed: ${errorText(error)}`);
    }
  };
  const imported = async (bytes: Uint8Array, from: string) => `Imported checkpoint from ${from} (${await app.client.importCheckpoint(bytes)} in memory).`;

  const apply = h('button', { type: 'submit' }, 'Apply settings');
  const form = h(
    'form',
    { class: 'settings-form' },
    h('fieldset', {}, h('legend', {}, 'Backend'), device, h('label', { for: 'backend-device' }, 'On this device'), appliance, h('label', { for: 'backend-appliance' }, 'Appliance')),
    h('label', { for: 'appliance-url' }, 'Appliance URL'),
    url,
    h('label', { for: 'appliance-key' }, 'Appliance API key'),
    key,
    h('label', { for: 'engine-choice' }, 'Engine'),
    engine,
    h('label', { for: 'model-choice' }, 'Model'),
    model,
    h('label', { for: 'dtype-choice' }, 'Precision'),
    dtype,
    h('label', { for: 'model-mirror' }, 'Model mirror URL'),
    mirror,
    apply,
  );
  /** Shows `settings` in the form: the ones in use again when new ones could not be applied. */
  const fill = (settings: AppSettings) => {
    device.checked = settings.backend === 'device';
    appliance.checked = settings.backend === 'appliance';
    url.value = settings.applianceUrl;
    key.value = settings.applianceKey;
    engine.value = settings.engine;
    if (![...model.options].some((option) => option.value === settings.model)) model.append(h('option', { value: settings.model }, settings.model));
    model.value = settings.model;
    dtype.value = settings.dtype;
    mirror.value = settings.modelMirror;
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submit();
  });
  async function submit(): Promise<void> {
    // An appliance serving this page is the one meant when no URL is typed, as on the dashboard.
    if (appliance.checked && !url.value.trim()) {
      const page = await applianceOfPage(AbortSignal.timeout(5000));
      if (!page) return app.announce('Not saved: type the appliance\'s address in Appliance URL, or choose On this device.');
      url.value = page;
    }
    const next: AppSettings = {
      backend: appliance.checked ? 'appliance' : 'device',
      applianceUrl: url.value.trim(),
      applianceKey: key.value.trim(),
      engine: engine.value as EngineChoice,
      model: model.value,
      dtype: dtype.value as AppSettings['dtype'],
      modelMirror: mirror.value.trim(),
    };
    apply.disabled = true;
    // The line a previous Apply left ("Settings saved.", "Could not switch …") is not this one's.
    app.announce('Applying settings…');
    app
      .applySettings(next)
      .then(
        (applied) => applied && app.announce(settingsSavedText(next, app.deviceEngine)),
        (error: unknown) => {
          fill(app.settings);
          app.announce(errorText(error));
        },
      )
      .finally(() => (apply.disabled = false));
  }

  const exportButton = h('button', { type: 'button' }, 'Export checkpoint');
  exportButton.addEventListener('click', () =>
    withClient('Export', async () => {
      download(await app.client.exportCheckpoint(), `nexus-checkpoint-${new Date().toISOString().replace(/[:.]/g, '-')}.nxck`);
      return 'Checkpoint exported.';
    }),
  );
  file.addEventListener('change', () => {
    const chosen = file.files?.[0];
    if (chosen) void withClient('Import', async () => imported(new Uint8Array(await chosen.arrayBuffer()), chosen.name)).finally(() => (file.value = ''));
  });
  const sync = h('button', { type: 'button' }, 'Sync from appliance');
  sync.addEventListener('click', () =>
    withClient('Sync', async () => {
      const target = applianceTarget(app.settings);
      if (!target) throw new Error('set an appliance URL first');
      const response = await applianceFetch(target, '/api/checkpoint/latest');
      if (!response.ok) throw await applianceError(response, 'read');
      return imported(new Uint8Array(await response.arrayBuffer()), target.base);
    }),
  );
  const clear = h('button', { type: 'button' }, 'New conversation');
  clear.addEventListener('click', () => void clearConversation().then(() => app.announce('Conversation cleared.')));

  container.append(
    h('details', { class: 'settings' }, h('summary', {}, 'Settings'), form, h('div', { class: 'checkpoint' }, exportButton, h('label', { for: 'import-file' }, 'Import checkpoint'), file, sync, clear)),
  );
}
