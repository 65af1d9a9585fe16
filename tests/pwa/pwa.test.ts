// The PWA in headless Chromium: offline after the first visit, streaming chat, teach, checkpoint export/import across profiles and with Node.
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeAssistantCheckpoint, parseModelRegistry, restoreAssistantState, type LearnerMemorySection } from '../../runtime/core/index.js';
import { startModelFileServer } from '../node/models/model-file-server.js';
import { createAssistant } from '../../runtime/node/create-assistant.js';
import { launchChromium, launchChromiumProfile, type ChromiumProfile } from '../support/chromium.js';
import { startStaticServer, type StaticServer } from '../support/static-server.js';
import { contentSecurityPolicy } from '../../runtime/node/http/security-headers.js';
import { startTestAppliance, type TestAppliance } from '../node/appliance/appliance-harness.js';
import { startNeverEndingStream } from './never-ending-stream.js';
import { ask, openSettings, waitForModel } from './pwa-page.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const artifacts = join(repo, 'test-artifacts');
const phone = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 };
const MADE_UP = 'What does blorvantic mean?';
const TAUGHT = 'blorvantic (adjective): invented for this test.';
const TEACHER_ANSWER = 'zorbleflax (noun): a word the appliance knows.';
const RIVER = 'river (noun): a large natural stream of water (larger than a creek).';

describe('PWA in Chromium', () => {
  let server: StaticServer;
  let profile: ChromiumProfile;
  let context: BrowserContext;
  let page: Page;
  let exported: Uint8Array;
  let modelSha256: string;
  let appliance: TestAppliance;
  let applianceUrl: string;

  beforeAll(async () => {
    await build({ configFile: join(repo, 'pwa/vite.config.ts'), logLevel: 'warn' });
    // Under the appliance's own security headers: the mirror and the appliance are other origins.
    server = await startStaticServer(join(repo, 'pwa/dist'), { contentSecurityPolicy });
    // The real appliance, allowing the PWA's origin (a different port: cross-origin, as from a phone).
    appliance = await startTestAppliance({ cors: { origins: [server.url.replace(/\/$/, '')] } });
    applianceUrl = appliance.app.lanUrl;
    profile = await launchChromiumProfile(phone);
    context = profile.context;
    page = context.pages()[0] ?? (await context.newPage());
    mkdirSync(artifacts, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await profile?.close();
    await appliance?.stop();
    await server?.close();
  });

  it('installs: the service worker controls the page and Chromium reports no installability errors', async () => {
    await page.goto(server.url);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
    await waitForModel(page);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: unknown[] };
    expect(installabilityErrors).toEqual([]);
    await expect(page.locator('#engine').textContent()).resolves.toMatch(/^Engine: wasm-threaded/);
    // One candidate is not probed before ready: its warm-up answer reports the speed afterwards.
    await page.locator('#engine', { hasText: /^Engine: wasm-threaded, \d+ threads · model lexicon-tiny q8 · \d+\.\d tokens\/s$/ }).waitFor({ timeout: 30_000 });
  });

  it('works offline: a known word is answered with its confidence, a made-up one is abstained on', async () => {
    await context.setOffline(true);
    await page.reload();
    await waitForModel(page);
    const river = await ask(page, 'What does river mean?');
    await expect(river.locator('.text').textContent()).resolves.toBe('river (noun): a large natural stream of water (larger than a creek).');
    await expect(river.locator('.meta').textContent()).resolves.toMatch(/^confidence \d\.\d\d · from model$/);
    await expect(page.locator('#engine').textContent()).resolves.toMatch(/tokens\/s/);
    const nonsense = await ask(page, MADE_UP);
    await expect(nonsense.locator('.text').textContent()).resolves.toMatch(/^Abstained: I don't know that/);
    await page.screenshot({ path: join(artifacts, 'pwa-chat-360x740.png') });
  });

  it('keeps a taught answer and the conversation across a reload (offline)', async () => {
    const answers = page.getByRole('log').locator('article.assistant');
    const teach = answers.last().getByRole('button', { name: 'Teach' });
    // Escape cancels the form, as its Cancel button does, and gives the focus back to Teach.
    await teach.click();
    await page.getByRole('textbox', { name: 'Correct answer' }).fill('not this');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('textbox', { name: 'Correct answer' }).count()).resolves.toBe(0);
    await expect(teach.evaluate((button) => button === document.activeElement)).resolves.toBe(true);
    await teach.click();
    await page.getByRole('textbox', { name: 'Correct answer' }).fill(TAUGHT);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Taught' }).waitFor();
    await page.reload();
    await waitForModel(page);
    await expect(answers.count()).resolves.toBe(2);
    const again = await ask(page, MADE_UP);
    await expect(again.locator('.text').textContent()).resolves.toBe(TAUGHT);
    await expect(again.locator('.meta').textContent()).resolves.toContain('from memory');
    await page.screenshot({ path: join(artifacts, 'pwa-chat-taught-360x740.png'), fullPage: true });
  });

  it('opens offline with a query string, and gives a deep link under another path the offline page, not a broken shell', async () => {
    const other = await context.newPage();
    try {
      await other.goto(`${server.url}?source=homescreen`);
      await waitForModel(other);
      await expect(other.getByRole('log').locator('article.assistant').count()).resolves.toBeGreaterThan(0);
      await other.goto(`${server.url}index.html?source=homescreen`);
      await waitForModel(other);
    } finally {
      await other.close();
    }
    // Offline, the dashboard says the network is what it lacks, not an appliance URL.
    const dashboard = await context.newPage();
    try {
      await dashboard.goto(`${server.url}#/dashboard`);
      await dashboard.getByText('Offline: the dashboard shows an appliance, which needs the network. Chat on this device works offline.').waitFor();
    } finally {
      await dashboard.close();
    }
    // Each deep link in a page of its own: a page whose navigation failed shows Chromium's error page, which would cut off the next.
    for (const deepLink of ['chat/42', 'chat/']) {
      const deep = await context.newPage();
      try {
        await expect(deep.goto(`${server.url}${deepLink}`)).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/);
      } finally {
        await deep.close();
      }
    }
  });

  it('exports a checkpoint that decodes in Node with the taught entry', async () => {
    await openSettings(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export checkpoint' }).click()]);
    exported = new Uint8Array(readFileSync((await download.path())!));
    const nodeAssistant = await createAssistant();
    modelSha256 = nodeAssistant.model.modelSha256;
    const decoded = await decodeCheckpoint(exported, { modelSha256 });
    expect(decoded.modelMismatch).toBe(false);
    const memory = decoded.sections.memory as unknown as LearnerMemorySection;
    expect(JSON.stringify(memory)).toContain(TAUGHT);
    // The same state gives the same bytes: Node, restored from the browser's checkpoint, encodes it identically.
    restoreAssistantState(nodeAssistant, decoded);
    const nodeBytes = await encodeAssistantCheckpoint(nodeAssistant, { producer: decoded.header.producer, createdAt: decoded.header.createdAt, metrics: decoded.sections.metrics });
    expect(Buffer.from(nodeBytes).equals(Buffer.from(exported))).toBe(true);
    await context.setOffline(false);
  });

  /** A new browser profile that opens the app and imports `bytes` as a checkpoint file. */
  async function freshProfileImporting(bytes: Uint8Array, name: string): Promise<{ fresh: ChromiumProfile; freshPage: Page }> {
    const fresh = await launchChromiumProfile(phone);
    const freshPage = fresh.context.pages()[0] ?? (await fresh.context.newPage());
    await freshPage.goto(server.url);
    await waitForModel(freshPage);
    const file = join(tmpdir(), name);
    writeFileSync(file, bytes);
    await openSettings(freshPage);
    await freshPage.getByLabel('Import checkpoint').setInputFiles(file);
    await freshPage.getByRole('status').filter({ hasText: 'Imported checkpoint' }).waitFor();
    return { fresh, freshPage };
  }

  it('imports the exported checkpoint in a fresh browser profile', async () => {
    const { fresh, freshPage } = await freshProfileImporting(exported, 'pwa-export.nxck');
    const answer = await ask(freshPage, MADE_UP);
    await expect(answer.locator('.text').textContent()).resolves.toBe(TAUGHT);
    await fresh.close();
  });

  it('imports a checkpoint encoded in Node by the appliance core and answers from memory', async () => {
    const nodeAssistant = await createAssistant();
    nodeAssistant.teach('What does glimberous mean?', 'glimberous (adjective): taught on the appliance.');
    const bytes = await encodeAssistantCheckpoint(nodeAssistant, { producer: 'nexus-edge/0.1.0 node' });
    const { fresh, freshPage } = await freshProfileImporting(bytes, 'node-export.nxck');
    const answer = await ask(freshPage, 'What does glimberous mean?');
    await expect(answer.locator('.text').textContent()).resolves.toBe('glimberous (adjective): taught on the appliance.');
    await expect(answer.locator('.meta').textContent()).resolves.toContain('from memory');
    await fresh.close();
  });

  async function applySettings(backend: 'On this device' | 'Appliance', url: string): Promise<void> {
    await openSettings(page);
    await page.getByLabel('Appliance URL').fill(url);
    await page.getByRole('radio', { name: backend }).check();
    await page.getByRole('button', { name: 'Apply settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved' }).waitFor();
  }

  async function postToAppliance(path: string, body: unknown): Promise<void> {
    const response = await fetch(`${applianceUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(200);
  }

  it('asks the appliance as teacher when the on-device gate abstains, then syncs its checkpoint', async () => {
    await postToAppliance('/api/teach', { question: 'What does zorbleflax mean?', answer: TEACHER_ANSWER });
    await postToAppliance('/api/teach', { question: 'What does quibbleton mean?', answer: 'quibbleton (noun): synced from the appliance.' });
    await applySettings('On this device', applianceUrl);
    const taught = await ask(page, 'What does zorbleflax mean?');
    await expect(taught.locator('.text').textContent()).resolves.toBe(TEACHER_ANSWER);
    await expect(taught.locator('.meta').textContent()).resolves.toContain('from teacher');

    await page.getByRole('button', { name: 'Sync from appliance' }).click();
    await page.getByRole('status').filter({ hasText: 'Imported checkpoint' }).waitFor();
    const synced = await ask(page, 'What does quibbleton mean?');
    await expect(synced.locator('.text').textContent()).resolves.toBe('quibbleton (noun): synced from the appliance.');
  });

  it('does not learn the appliance\'s own abstention as a teacher answer', async () => {
    const unknown = await ask(page, 'What does plimbertude mean?');
    await expect(unknown.locator('.text').textContent()).resolves.toMatch(/^Abstained: I don't know that/);
  });

  it('chats through the appliance, says which engine it runs, and Stop aborts a streaming answer', async () => {
    await applySettings('Appliance', applianceUrl);
    await page.locator('#engine', { hasText: 'Engine: appliance, wasm · model lexicon-tiny q8' }).waitFor();
    const remote = await ask(page, 'What does river mean?');
    await expect(remote.locator('.text').textContent()).resolves.toBe(RIVER);
    await expect(remote.locator('.meta').textContent()).resolves.toMatch(/^confidence 1\.00 · from model/);

    const endless = await startNeverEndingStream();
    try {
      await applySettings('Appliance', endless.url);
      await page.getByRole('textbox', { name: 'Message' }).fill('Tell me slowly');
      await page.getByRole('button', { name: 'Send' }).click();
      const streaming = page.getByRole('log').locator('article.assistant').last();
      await streaming.locator('.text', { hasText: 'and on and on' }).waitFor();
      await page.getByRole('button', { name: 'Stop' }).click();
      await streaming.locator('.text', { hasText: '[stopped]' }).waitFor();
      await expect(page.getByRole('button', { name: 'Send' }).isEnabled()).resolves.toBe(true);
    } finally {
      await endless.close();
    }
    await applySettings('On this device', applianceUrl);
    // The label changes once the on-device engine is up, which may be after "Settings saved".
    await page.locator('#engine', { hasText: /^Engine: wasm-threaded/ }).waitFor();
  });

  it('shows the appliance dashboard as readable rows with live events, and pauses it with the admin key', async () => {
    await page.goto(`${server.url}#/dashboard`);
    const shownStatus = page.getByRole('group', { name: 'Status' });
    await shownStatus.filter({ hasText: 'serving' }).waitFor();
    const rowOf = async (group: typeof shownStatus) => Object.fromEntries(await group.locator('dt').evaluateAll((terms) => terms.map((term) => [term.textContent, term.nextElementSibling?.textContent])));
    await expect(rowOf(shownStatus)).resolves.toMatchObject({ state: 'serving', health: 'healthy', model: expect.stringMatching(/^lexicon-tiny · q8 · wasm · 1 thread · ctx \d+$/), breaker: 'closed' });
    await postToAppliance('/api/interact', { prompt: 'What does river mean?' });
    const events = page.getByRole('log', { name: 'Events' });
    await events.getByText('answer:').first().waitFor();
    // Each event reads as fields (its time is the appliance's, not a field); the stream's first says the state.
    await events.getByText(/ answer: decision=answered confidence=[\d.]+ source=model tokens=\d+ ms=\d+$/).first().waitFor();
    await events.getByText(/ state: state=serving$/).first().waitFor();
    await page.getByText(/^Following the live events/).waitFor();
    // Refresh reads the metrics again: the answer just given is counted, with its speed; the appliance's own text is folded under.
    await page.getByRole('button', { name: 'Refresh' }).click();
    const metrics = page.getByRole('group', { name: 'Metrics' });
    await metrics.locator('dd', { hasText: /tokens\/s/ }).waitFor();
    await expect(rowOf(metrics)).resolves.toMatchObject({ answers: expect.stringMatching(/^\d+ \(\d+ from the model at a median \d+\.\d tokens\/s(, .*)?\)$/), 'first token': expect.stringMatching(/^\d+ ms median/) });
    await page.getByText('As sent (Prometheus)').click();
    await page.locator('pre', { hasText: 'nexus_http_requests_total' }).waitFor();
    await page.getByLabel('Admin key').fill(appliance.adminKey);
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('status').filter({ hasText: 'pause done' }).waitFor();
    const status = (await (await fetch(`${applianceUrl}/api/status`)).json()) as { state: string };
    expect(status.state).toBe('paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('status').filter({ hasText: 'resume done' }).waitFor();
    await page.screenshot({ path: join(artifacts, 'pwa-dashboard-360x740.png') });
    await page.goto(server.url);
    await waitForModel(page);
  });

  it('rotates IndexedDB checkpoints, keeping the newest five', async () => {
    for (let i = 0; i < 6; i++) {
      await page.getByRole('log').locator('article.assistant').last().getByRole('button', { name: 'Teach' }).click();
      await page.getByRole('textbox', { name: 'Correct answer' }).fill(`answer ${i}`);
      await page.keyboard.press('Enter');
      await page.getByRole('status').filter({ hasText: 'Taught' }).waitFor();
      await page.evaluate(() => (document.getElementById('status')!.textContent = ''));
    }
    const count = await page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open('nexus-checkpoints');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const request = open.result.transaction('checkpoints').objectStore('checkpoints').count();
            request.onsuccess = () => resolve(request.result);
          };
        }),
    );
    expect(count).toBe(5);
  });

  it('pulls a registry model from a mirror with download progress, caches it, and runs it offline', async () => {
    // The mirror serves files in the Hugging Face layout; here it serves lexicon-tiny's files under a registry entry's repo.
    const entry = parseModelRegistry(JSON.parse(readFileSync(join(repo, 'models/registry.json'), 'utf8'))).find((candidate) => candidate.id === 'smollm2-135m-instruct')!;
    const mirror = await startModelFileServer(join(repo, 'models/lexicon-tiny'), entry.repo!, entry.revision);
    try {
      await openSettings(page);
      await page.getByLabel('Model', { exact: true }).selectOption('smollm2-135m-instruct');
      await page.getByLabel('Model mirror URL').fill(mirror.mirror);
      await page.getByRole('button', { name: 'Apply settings' }).click();
      await page.locator('#engine', { hasText: 'model smollm2-135m-instruct q8' }).waitFor({ timeout: 60_000 });
      await expect(page.locator('#download-text').textContent()).resolves.toMatch(/^Model ready: /);
      expect(mirror.requests.map((request) => request.path)).toContain('onnx/model_quantized.onnx');
      const pulled = mirror.requests.length;
      await context.setOffline(true);
      await page.reload();
      await page.locator('#engine', { hasText: 'model smollm2-135m-instruct q8' }).waitFor({ timeout: 60_000 });
      const answer = await ask(page, 'What does river mean?');
      await expect(answer.locator('.text').textContent()).resolves.toBe(RIVER);
      expect(mirror.requests.length).toBe(pulled);
    } finally {
      await context.setOffline(false);
      await mirror.close();
    }
    await openSettings(page);
    await page.getByLabel('Model', { exact: true }).selectOption('lexicon-tiny');
    await page.getByRole('button', { name: 'Apply settings' }).click();
    await page.locator('#engine', { hasText: 'model lexicon-tiny q8' }).waitFor({ timeout: 60_000 });
  });

  // SwiftShader gives headless Chromium a real WebGPU adapter, so onnxruntime-web's WebGPU kernels
  // run here. On lexicon-tiny as exported they answer wrongly; on the graph the core prepares for
  // WebGPU (attention fused, 8-bit weights as floats) they answer as WASM does. WebGPU is still held
  // against WASM before use (the policy: browser-engine-selection.test.ts), while WASM answers: the
  // automatic choice then takes the faster (WASM: SwiftShader computes on the CPU), and a user's pick
  // of WebGPU runs on it. Later starts keep the verdict instead of probing again.
  it('holds WebGPU against WASM: it answers alike, auto takes the faster, a user\'s pick of WebGPU answers on it, and WASM takes over when the GPU is lost until the app is back in view', async () => {
    const browser = await launchChromium({ softwareWebGpu: true });
    try {
      const gpuPage = await browser.newPage();
      await gpuPage.goto(server.url);
      const expected = {
        auto: { engine: /^Engine: wasm-threaded, \d+ threads/, reason: /^webgpu: slower in the probe \(\d+\.\d tokens\/s\)/, reloaded: /^Engine: wasm-threaded, \d+ threads · model lexicon-tiny q8 · \d+\.\d tokens\/s$/ },
        webgpu: { engine: /^Engine: webgpu/, reason: /^wasm-threaded: not chosen: the user picked webgpu \(wasm-threaded answered only to check it\)/, reloaded: /^Engine: webgpu · model lexicon-tiny q8 · \d+\.\d tokens\/s$/ },
      };
      for (const engine of ['auto', 'webgpu'] as const) {
        if (engine === 'webgpu') {
          await openSettings(gpuPage);
          await gpuPage.getByLabel('Engine').selectOption('webgpu');
          await gpuPage.getByRole('button', { name: 'Apply settings' }).click();
          await gpuPage.locator('#engine', { hasText: 'Engine: loading' }).waitFor({ timeout: 60_000 });
        }
        // The WASM reference answers while WebGPU is loaded and measured against it (~10 s here).
        const measuring = gpuPage.locator('#engine-reasons li', { hasText: /^webgpu: being measured against wasm-threaded, which answers meanwhile$/ });
        await measuring.waitFor({ state: 'attached', timeout: 60_000 });
        if (engine === 'auto') {
          const meanwhile = await ask(gpuPage, 'What does lantern mean?');
          await expect(meanwhile.locator('.text').textContent()).resolves.toBe('lantern (noun): light in a transparent protective case.');
          await expect(measuring.count()).resolves.toBe(1);
        }
        await gpuPage.locator('#engine', { hasText: expected[engine].engine }).waitFor({ timeout: 90_000 });
        await gpuPage.locator('#engine-reasons li', { hasText: expected[engine].reason }).waitFor({ state: 'attached' });
        const answer = await ask(gpuPage, 'What does river mean?');
        await expect(answer.locator('.text').textContent()).resolves.toBe(RIVER);
        // A later start trusts the verdict: only the chosen engine loads (its warm-up then reports the speed).
        await gpuPage.reload();
        await gpuPage.locator('#engine', { hasText: expected[engine].reloaded }).waitFor({ timeout: 60_000 });
        await gpuPage.locator('#engine-reasons li', { hasText: new RegExp(`${expected[engine].reason.source}.* \\(probed \\d{4}-\\d\\d-\\d\\d\\)$`) }).waitFor({ state: 'attached' });
      }
      // The GPU process crashes while an answer streams (as when a phone reclaims the GPU of a
      // backgrounded tab): the WebGPU device is lost, the step in flight would never settle. The
      // question starts over on WASM, whose text replaces what was shown (never appended to it), and
      // WASM keeps answering; memory taught on WebGPU stays.
      await gpuPage.getByRole('log').locator('article.assistant', { hasText: 'river (noun)' }).first().getByRole('button', { name: 'Teach' }).click();
      await gpuPage.getByRole('textbox', { name: 'Correct answer' }).fill('a flowing body of water (taught on WebGPU)');
      await gpuPage.keyboard.press('Enter');
      await gpuPage.getByRole('status').filter({ hasText: 'Taught' }).waitFor();
      const asked = await gpuPage.getByRole('log').locator('article.assistant').count();
      await gpuPage.evaluate((index) => {
        const shown: string[] = [];
        Object.assign(window, { shownTexts: shown });
        const log = document.querySelector('[role="log"]') as HTMLElement;
        new MutationObserver(() => shown.push(log.querySelectorAll('article.assistant .text')[index]?.textContent ?? '')).observe(log, { subtree: true, childList: true, characterData: true });
      }, asked);
      const answered = ask(gpuPage, 'What does lantern mean?');
      await gpuPage.getByRole('log').locator('article.assistant').nth(asked).locator('.text', { hasText: /\S/ }).waitFor();
      await (await browser.newBrowserCDPSession()).send('Browser.crashGpuProcess');
      const lantern = 'lantern (noun): light in a transparent protective case.';
      await expect((await answered).locator('.text').textContent()).resolves.toBe(lantern);
      const shown = await gpuPage.evaluate(() => (window as unknown as { shownTexts: string[] }).shownTexts);
      expect(shown.filter((text) => !lantern.startsWith(text))).toEqual([]);
      await gpuPage.locator('#engine', { hasText: /^Engine: wasm-threaded, \d+ threads · model lexicon-tiny q8 · \d+\.\d tokens\/s$/ }).waitFor();
      await gpuPage.locator('#engine-reasons li', { hasText: /^webgpu: the GPU device was lost \(.+\); WASM answers until the app is back from the background, restarts or has its settings applied$/ }).waitFor({ state: 'attached' });
      const remembered = await ask(gpuPage, 'What does river mean?');
      await expect(remembered.locator('.text').textContent()).resolves.toBe('a flowing body of water (taught on WebGPU)');
      await expect(remembered.locator('.meta').textContent()).resolves.toContain('from memory');
      // Applying the unchanged settings starts WebGPU again on a new device.
      await openSettings(gpuPage);
      await gpuPage.getByRole('button', { name: 'Apply settings' }).click();
      await gpuPage.locator('#engine', { hasText: expected.webgpu.reloaded }).waitFor({ timeout: 60_000 });
      await expect(ask(gpuPage, 'What does river mean?').then((answer) => answer.locator('.meta').textContent())).resolves.toContain('from memory');
      // A phone hides the app and reclaims its GPU: WASM takes over while nobody looks, and the app
      // coming back into view starts WebGPU again on a new device (WASM answering meanwhile).
      // Headless Chromium keeps its pages visible: the page is told it is hidden, then shown.
      const setVisibility = (state: 'hidden' | 'visible') =>
        gpuPage.evaluate((shown) => {
          Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => shown });
          document.dispatchEvent(new Event('visibilitychange'));
        }, state);
      await setVisibility('hidden');
      await (await browser.newBrowserCDPSession()).send('Browser.crashGpuProcess');
      await gpuPage.locator('#engine', { hasText: /^Engine: wasm-threaded, \d+ threads · model lexicon-tiny q8/ }).waitFor();
      await setVisibility('visible');
      await gpuPage.getByRole('status').filter({ hasText: 'Back in view: loading the model on the GPU again; WASM answers meanwhile.' }).waitFor();
      await gpuPage.locator('#engine', { hasText: expected.webgpu.reloaded }).waitFor({ timeout: 60_000 });
      await gpuPage.getByRole('status').filter({ hasText: 'Back on webgpu.' }).waitFor();
      const back = await ask(gpuPage, 'What does lantern mean?');
      await expect(back.locator('.text').textContent()).resolves.toBe(lantern);
      await expect(ask(gpuPage, 'What does river mean?').then((answer) => answer.locator('.meta').textContent())).resolves.toContain('from memory');
    } finally {
      await browser.close();
    }
  }, 300_000);

  it('refuses a model file whose SHA-256 does not match the registry, caches nothing of it, and loads the intact file', async () => {
    const q4 = join(repo, 'pwa/dist/models/lexicon-tiny/onnx/model_q4.onnx');
    const original = readFileSync(q4);
    const damaged = Buffer.from(original);
    damaged[damaged.length >> 1] ^= 0xff;
    writeFileSync(q4, damaged);
    try {
      await openSettings(page);
      await page.getByLabel('Precision').selectOption('q4');
      await page.getByRole('button', { name: 'Apply settings' }).click();
      // The loaded model keeps answering and the settings stay as they were.
      await page.getByRole('status').filter({ hasText: /^Could not switch to lexicon-tiny q4: .*onnx\/model_q4\.onnx: SHA-256 mismatch.*; still on lexicon-tiny q8/ }).waitFor({ timeout: 60_000 });
      await expect(page.getByLabel('Precision').inputValue()).resolves.toBe('q8');
      const cached = await page.evaluate(async () => (await (await caches.open('nexus-models-v1')).keys()).map((request) => request.url).filter((url) => url.endsWith('model_q4.onnx')));
      expect(cached).toEqual([]);
    } finally {
      writeFileSync(q4, original);
    }
    // Choosing q4 again retries it: the intact file loads (its 4-bit weights dequantized once, in
    // the worker) and answers.
    await page.getByLabel('Precision').selectOption('q4');
    await page.getByRole('button', { name: 'Apply settings' }).click();
    await page.locator('#engine', { hasText: 'model lexicon-tiny q4' }).waitFor({ timeout: 60_000 });
    const answer = await ask(page, 'What does river mean?');
    await expect(answer.locator('.text').textContent()).resolves.toBe(RIVER);
    await openSettings(page);
    await page.getByLabel('Precision').selectOption('q8');
    await page.getByRole('button', { name: 'Apply settings' }).click();
    await page.locator('#engine', { hasText: 'model lexicon-tiny q8' }).waitFor({ timeout: 60_000 });
  });

  it('offers "Reload to update" when a new version of the app is deployed, and reloads into it', async () => {
    // A changed sw.js is what a new build deploys; the new worker waits until the user accepts.
    appendFileSync(join(repo, 'pwa/dist/sw.js'), `\n// deployed ${Date.now()}\n`);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    const reload = page.getByRole('button', { name: 'Reload to update' });
    await reload.waitFor({ timeout: 30_000 });
    await Promise.all([page.waitForEvent('load'), reload.click()]);
    await waitForModel(page);
    await expect(page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null)).resolves.toBeNull();
  });
});
