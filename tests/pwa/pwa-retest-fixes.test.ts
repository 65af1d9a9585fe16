// What a retest of the PWA found, each checked in Chromium as the user met it: an appliance on the LAN that needs a key,
// a conversation left or cleared while an answer is pending, Applies that overlap, settings chosen while the model loads,
// an appliance that never replies, a blank appliance URL, and the dashboard's live events on a keyed appliance.
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { keysFileOf } from '../../runtime/node/appliance/admin-key.js';
import { createApiKey } from '../../runtime/node/cli/create-api-key.js';
import { startTestAppliance, type TestAppliance } from '../node/appliance/appliance-harness.js';
import { listenOnLoopback } from '../support/listen-on-loopback.js';
import { applianceCors as cors } from './appliance-cors.js';
import type { HoldingServer } from './holding-server.js';
import { startServedPwa, type ServedPwa } from './served-pwa.js';
import type { StaticServer } from '../support/static-server.js';
import { ask, chatVia, openSettings, send, waitForModel, waitForReply } from './pwa-page.js';
import { askSlowly, withSlowAppliance } from './slow-appliance.js';

const MADE_UP = 'What does blorvantic mean?';
const TAUGHT = 'blorvantic (adjective): taught on a keyed appliance from the PWA.';


const RIVER = 'river (noun): a large natural stream of water (larger than a creek).';


describe('PWA retest fixes in Chromium', () => {
  let pwa: ServedPwa;
  let dist: string;
  let server: StaticServer;
  let holding: HoldingServer;
  /** An appliance bound to every interface with the default auth: every API call needs a key. */
  let keyed: TestAppliance;
  let keyedUrl: string;
  let chatKey: string;
  let openApp: ServedPwa['open'];

  beforeAll(async () => {
    pwa = await startServedPwa('nexus-pwa-retest-');
    ({ dist, server, holding, open: openApp } = pwa);
    keyed = await startTestAppliance({ host: '0.0.0.0', cors: { origins: [server.url.replace(/\/$/, '')] } });
    keyedUrl = `http://127.0.0.1:${new URL(keyed.app.lanUrl).port}`;
    chatKey = (await createApiKey(keysFileOf(keyed.dataDir), 'pwa', ['chat', 'read'])).key;
  }, 240_000);

  afterAll(async () => {
    await keyed?.stop();
    await pwa?.close();
  });

  it('sends the appliance API key of the settings with chat, Teach, Sync and the status line, and keeps it across reloads', async () => {
    expect((await fetch(`${keyedUrl}/api/status`)).status).toBe(401);
    const page = await openApp();
    await waitForModel(page);
    await chatVia(page, 'Appliance', keyedUrl, chatKey);
    await page.locator('#engine', { hasText: /^Engine: appliance, / }).waitFor();
    const reply = await send(page, MADE_UP);
    await waitForReply(page);
    await expect(reply.locator('.text').textContent()).resolves.toMatch(/^Abstained: /);
    await reply.getByRole('button', { name: 'Teach' }).click();
    await page.getByRole('textbox', { name: 'Correct answer' }).fill(TAUGHT);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: /^Taught "What does blorvantic mean\?" on the appliance \(\d+ in memory\)\.$/ }).waitFor();
    await page.getByRole('button', { name: 'Sync from appliance' }).click();
    await page.getByRole('status').filter({ hasText: /^Imported checkpoint from http:\/\/127\.0\.0\.1:\d+ \(\d+ in memory\)\.$/ }).waitFor();

    await page.reload();
    await openSettings(page);
    await expect(page.getByLabel('Appliance API key').inputValue()).resolves.toBe(chatKey);
    await expect(page.getByLabel('Appliance API key').getAttribute('type')).resolves.toBe('password');
    const remembered = await send(page, MADE_UP);
    await waitForReply(page);
    await expect(remembered.locator('.text').textContent()).resolves.toBe(TAUGHT);
  });

  it('asks a keyed appliance as teacher with the key of the settings when the on-device gate abstains', async () => {
    const question = 'What does quembrillic mean?';
    const taught = 'quembrillic (adjective): known only to the keyed appliance.';
    const response = await fetch(`${keyedUrl}/api/teach`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${chatKey}` }, body: JSON.stringify({ question, answer: taught }) });
    expect(response.status).toBe(200);
    const page = await openApp();
    await waitForModel(page);
    await chatVia(page, 'On this device', keyedUrl, chatKey);
    const reply = await ask(page, question);
    await expect(reply.locator('.text').textContent()).resolves.toBe(taught);
    await expect(reply.locator('.meta').textContent()).resolves.toContain('from teacher');
  });

  it('shows a question still being answered after the chat is left and opened again, and saves its answer', async () => {
    await withSlowAppliance(2000, async (slowUrl) => {
      const page = await openApp();
      await waitForModel(page);
      await askSlowly(page, slowUrl, 'What does slow mean?');
      await page.evaluate(() => (location.hash = '#/dashboard'));
      await page.getByRole('heading', { name: /^Dashboard/ }).waitFor();
      await page.evaluate(() => (location.hash = '#/'));
      await page.getByRole('log').locator('article.user', { hasText: 'What does slow mean?' }).waitFor();
      await expect(page.getByRole('button', { name: 'Stop' }).isEnabled()).resolves.toBe(true);
      await page.getByRole('log').locator('article.assistant .text', { hasText: 'slowly answered' }).waitFor();
      await waitForReply(page);
      await page.reload();
      await page.getByRole('log').locator('article.assistant .text', { hasText: 'slowly answered' }).waitFor();
      await expect(page.getByRole('log').locator('article').allTextContents()).resolves.toHaveLength(2);
    });
  });

  it('keeps a conversation cleared while an answer is pending cleared, after the answer would have ended and a reload', async () => {
    await withSlowAppliance(1000, async (slowUrl) => {
      const page = await openApp();
      await waitForModel(page);
      await askSlowly(page, slowUrl, 'What does gone mean?');
      await page.getByRole('button', { name: 'New conversation' }).click();
      await page.getByRole('status').filter({ hasText: 'Conversation cleared.' }).waitFor();
      await waitForReply(page);
      await page.waitForTimeout(1500);
      await expect(page.getByRole('log').locator('article').count()).resolves.toBe(0);
      await page.reload();
      await page.getByRole('textbox', { name: 'Message' }).waitFor();
      await page.waitForTimeout(500);
      await expect(page.getByRole('log').locator('article').count()).resolves.toBe(0);
    });
  });

  it('keeps both tabs\' questions when two tabs ask at once, each showing the other\'s in its place as it streams without closing an open Teach form, and clears both', async () => {
    await withSlowAppliance(5000, async (slowUrl) => {
      const first = await openApp();
      await waitForModel(first);
      const second = await first.context().newPage();
      await second.goto(first.url());
      await waitForModel(second);
      // The first tab chats with a slow appliance; the second, loaded before that was saved, on this device.
      await askSlowly(first, slowUrl, 'What does gone mean?');
      await second.getByRole('log').locator('article.user', { hasText: 'What does gone mean?' }).waitFor();
      // The first tab's answer shows in the second as it streams, seconds before it is done and saved.
      await second.getByRole('log').locator('article.assistant .text', { hasText: /^slowly $/ }).waitFor();
      await send(second, 'What does river mean?');
      await second.getByRole('log').locator('article.assistant .meta', { hasText: 'confidence' }).waitFor();
      // The second tab starts correcting its answer before the first tab's answer, asked earlier, is done above it.
      const correction = 'a stream (typed while the other tab answered)';
      await second.getByRole('log').locator('article.assistant', { hasText: 'river (noun)' }).getByRole('button', { name: 'Teach' }).click();
      await second.getByRole('textbox', { name: 'Correct answer' }).fill(correction);
      await expect(second.getByRole('log').locator('article').allTextContents()).resolves.toEqual(['What does gone mean?', expect.stringMatching(/^slowly \s*Teach$/), 'What does river mean?', expect.stringMatching(/river \(noun\)/)]);
      await waitForReply(first);
      // Each tab shows both questions, by when they were asked, with their answers.
      const turnsOf = (page: Page) => page.getByRole('log').locator('article').allTextContents();
      const expected = [/^What does gone mean\?$/, /^slowly answered/, /^What does river mean\?$/, /river \(noun\)/];
      const shows = async (page: Page) => {
        await page.getByRole('log').locator('article').nth(3).locator('.meta', { hasText: 'confidence' }).waitFor();
        const turns = await turnsOf(page);
        expect(turns).toHaveLength(4);
        turns.forEach((text, index) => expect(text).toMatch(expected[index]));
      };
      await shows(first);
      await shows(second);
      await expect(second.getByRole('textbox', { name: 'Correct answer' }).inputValue()).resolves.toBe(correction);
      await second.keyboard.press('Enter');
      await second.getByRole('status').filter({ hasText: 'Taught "What does river mean?"' }).waitFor();
      await second.reload();
      await shows(second);
      // New conversation in one tab clears the other, and stays cleared after a reload there.
      await first.getByRole('button', { name: 'New conversation' }).click();
      await first.getByRole('status').filter({ hasText: 'Conversation cleared.' }).waitFor();
      await second.waitForFunction(() => document.querySelectorAll('[role=log] article').length === 0);
      await second.reload();
      await second.getByRole('textbox', { name: 'Message' }).waitFor();
      await waitForModel(second);
      await expect(turnsOf(second)).resolves.toEqual([]);
      // A conversation saved by the version before (a plain list of turns, in idb-keyval's store) still shows after the update.
      await second.evaluate(
        () =>
          new Promise((resolve, reject) => {
            const open = indexedDB.open('keyval-store');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const transaction = open.result.transaction('keyval', 'readwrite');
              transaction.objectStore('keyval').put([{ role: 'user', text: 'What does old mean?' }, { role: 'assistant', text: 'old (adjective): saved before.', question: 'What does old mean?', confidence: 0.9, decision: 'answered', source: 'model' }], 'nexus-conversation');
              transaction.oncomplete = () => resolve(undefined);
              transaction.onerror = () => reject(transaction.error);
            };
          }),
      );
      await second.reload();
      await second.getByRole('log').locator('article.assistant', { hasText: 'saved before' }).waitFor();
      await expect(turnsOf(second)).resolves.toHaveLength(2);
    });
  });

  it('stops showing another tab\'s answer under way when that tab is closed or crashes before it is done, and keeps its question', async () => {
    await withSlowAppliance(5000, async (slowUrl) => {
      const watching = await openApp();
      await waitForModel(watching);
      const turnsShown = () => watching.getByRole('log').locator('article').allTextContents();
      const questions: string[] = [];
      for (const end of ['closed', 'crashed'] as const) {
        const asking = await watching.context().newPage();
        await asking.goto(watching.url());
        await waitForModel(asking);
        const question = `What does ${end} mean?`;
        questions.push(question);
        await askSlowly(asking, slowUrl, question);
        await watching.getByRole('log').locator('article.assistant .text', { hasText: /^slowly $/ }).waitFor();
        // Closed, the tab says so as it goes; crashed, it says nothing, and the browser releases its answer's lock.
        if (end === 'closed') await asking.close({ runBeforeUnload: true });
        else {
          const crashed = asking.waitForEvent('crash');
          // The command's reply never comes from a renderer that crashed.
          void (await asking.context().newCDPSession(asking)).send('Page.crash').catch(() => undefined);
          await crashed;
        }
        await watching.getByRole('log').locator('article.assistant').waitFor({ state: 'detached' });
        await expect(turnsShown()).resolves.toEqual(questions);
      }
      await watching.reload();
      await watching.getByRole('log').locator('article.user', { hasText: questions[1] }).waitFor();
      await expect(turnsShown()).resolves.toEqual(questions);
    });
  });

  it('keeps the newest Apply when an older one finishes later', async () => {
    const page = await openApp(`${holding.url}/`);
    await waitForModel(page);
    const release = holding.hold('onnx/model_q4.onnx');
    try {
      await openSettings(page);
      await page.getByLabel('Precision').selectOption('q4');
      await page.getByRole('button', { name: 'Apply settings' }).click();
      await page.locator('#engine', { hasText: 'Engine: loading lexicon-tiny q4' }).waitFor();
      await page.evaluate(() => (location.hash = '#/dashboard'));
      await page.getByRole('heading', { name: /^Dashboard/ }).waitFor();
      await page.evaluate(() => (location.hash = '#/'));
      await openSettings(page);
      await page.getByLabel('Precision').selectOption('q8');
      await page.getByLabel('Engine').selectOption('wasm-single');
      await page.getByRole('button', { name: 'Apply settings' }).click();
      await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor({ timeout: 60_000 });
      await page.locator('#engine', { hasText: 'Engine: wasm-single · model lexicon-tiny q8' }).waitFor();
    } finally {
      release();
    }
    await page.waitForTimeout(3000);
    await expect(page.locator('#engine').textContent()).resolves.toMatch(/^Engine: wasm-single · model lexicon-tiny q8/);
    await expect(page.evaluate(() => JSON.parse(localStorage.getItem('nexus-settings') ?? '{}'))).resolves.toMatchObject({ dtype: 'q8', engine: 'wasm-single' });
    await expect(page.getByLabel('Precision').inputValue()).resolves.toBe('q8');
  });

  it('says so when the engine chosen cannot run here, with why and which engine answers instead', async () => {
    // This Chromium runs with --disable-gpu: it has no WebGPU adapter.
    const page = await openApp(`${holding.url}/`);
    await waitForModel(page);
    await openSettings(page);
    await page.getByLabel('Engine').selectOption('webgpu');
    await page.getByRole('button', { name: 'Apply settings' }).click();
    const status = page.getByRole('status').filter({ hasText: /^Settings saved\. WebGPU cannot run here \(.+\): answering with WASM, (threaded|single thread)\.$/ });
    await status.waitFor({ timeout: 60_000 });
    const reason = /\((.+)\)/.exec((await status.textContent()) ?? '')?.[1] ?? '';
    await expect(page.locator('#engine-reasons').textContent()).resolves.toContain(reason);
  });

  it('answers a question sent while the boot load runs, when other settings are applied meanwhile', async () => {
    const release = holding.hold('onnx/model_quantized.onnx');
    const page = await openApp(`${holding.url}/`);
    try {
      const reply = await send(page, 'What does river mean?');
      // While the model loads, the answer says it waits, with no Teach to press.
      await expect(reply.getAttribute('class')).resolves.toBe('turn assistant waiting');
      await expect(reply.getByRole('button', { name: 'Teach' }).isHidden()).resolves.toBe(true);
      await expect(reply.locator('.text').evaluate((element) => getComputedStyle(element, '::before').content)).resolves.toBe('"Waiting for the model to load…"');
      await openSettings(page);
      await page.getByLabel('Precision').selectOption('q4');
      await page.getByRole('button', { name: 'Apply settings' }).click();
      await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor({ timeout: 60_000 });
      release();
      await waitForReply(page, 60_000);
      await expect(reply.getAttribute('class')).resolves.toBe('turn assistant');
      await expect(reply.locator('.text').textContent()).resolves.toBe(RIVER);
      await expect(page.locator('#engine').textContent()).resolves.toMatch(/model lexicon-tiny q4/);
    } finally {
      release();
    }
  });

  it('says that Teach and Sync timed out when the appliance accepts the connection but never replies', async () => {
    const silent = createServer((request, response) => {
      if (request.method === 'OPTIONS') return void response.writeHead(204, cors).end();
      request.resume();
      if (request.url === '/api/status') return void response.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify({ state: 'serving', model: { id: 'silent' } }));
      if (request.url?.startsWith('/api/interact'))
        return void response.writeHead(200, { ...cors, 'content-type': 'text/event-stream' }).end(`event: done\ndata: ${JSON.stringify({ response: 'hm', confidence: 0.9, decision: 'answered', source: 'model' })}\n\n`);
      // Teach and the checkpoint: never a reply.
    });
    const listening = await listenOnLoopback(silent);
    try {
      const page = await openApp();
      await waitForModel(page);
      await chatVia(page, 'Appliance', listening.url);
      const reply = await send(page, 'What does hm mean?');
      await waitForReply(page);
      await reply.getByRole('button', { name: 'Teach' }).click();
      await reply.getByRole('textbox', { name: 'Correct answer' }).fill('a sound');
      await page.keyboard.press('Enter');
      await reply.locator('.teach-error', { hasText: `Not saved: the appliance at ${listening.url} did not reply within 10 s` }).waitFor({ timeout: 20_000 });
      await expect(reply.getByRole('button', { name: 'Save answer' }).isEnabled()).resolves.toBe(true);
      await page.getByRole('button', { name: 'Sync from appliance' }).click();
      await page.getByRole('status').filter({ hasText: `Sync failed: the appliance at ${listening.url} did not reply within 10 s` }).waitFor({ timeout: 20_000 });
    } finally {
      await listening.close();
    }
  });

  it('refuses the appliance backend without an appliance URL, naming the field, unless an appliance serves the page', async () => {
    const page = await openApp();
    await waitForModel(page);
    await openSettings(page);
    await page.getByRole('radio', { name: 'Appliance' }).check();
    await page.getByRole('button', { name: 'Apply settings' }).click();
    await page.getByRole('status').filter({ hasText: "Not saved: type the appliance's address in Appliance URL, or choose On this device." }).waitFor();
    await expect(page.evaluate(() => JSON.parse(localStorage.getItem('nexus-settings') ?? '{}').backend ?? 'device')).resolves.toBe('device');

    const served = await startTestAppliance({}, { staticDir: dist });
    try {
      const onAppliance = await openApp(`${served.app.lanUrl}/`);
      await waitForModel(onAppliance);
      await openSettings(onAppliance);
      await onAppliance.getByRole('radio', { name: 'Appliance' }).check();
      await onAppliance.getByRole('button', { name: 'Apply settings' }).click();
      await onAppliance.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
      await expect(onAppliance.getByLabel('Appliance URL').inputValue()).resolves.toBe(served.app.lanUrl);
      await onAppliance.locator('#engine', { hasText: /^Engine: appliance, / }).waitFor();
    } finally {
      await served.stop();
    }
  });

  it('says why a keyed appliance sends no live events, and follows them once the key is typed and Refresh pressed', async () => {
    const page = await openApp(`${server.url}#/dashboard`);
    await page.evaluate((url) => {
      localStorage.setItem('nexus-settings', JSON.stringify({ backend: 'device', applianceUrl: url }));
      location.reload();
    }, keyedUrl);
    await page.getByRole('heading', { name: `Dashboard: ${keyedUrl}` }).waitFor();
    const events = page.getByRole('log', { name: 'Events' });
    await events.getByText(/^No live events: an API key with the read scope is needed \(HTTP 401/).waitFor();
    // Status and metrics say why too, rather than showing the refusal's JSON as if it were the appliance's status.
    for (const part of ['Status', 'Metrics']) await page.getByRole('group', { name: part }).getByText(/^an API key with the read scope is needed \(HTTP 401/).waitFor();
    await page.getByLabel('Admin key').fill(keyed.adminKey);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByLabel('Status').filter({ hasText: 'serving' }).waitFor();
    await page.getByRole('group', { name: 'Metrics' }).locator('dt', { hasText: 'requests' }).waitFor();
    await page.waitForTimeout(500);
    await expect(events.getByText(/^No live events/).count()).resolves.toBe(0);
  });

  it("keeps what each of two tabs taught: the other tab answers it at once, and neither tab's write drops the other's", async () => {
    const first = await openApp();
    await waitForModel(first);
    const second = await first.context().newPage();
    await second.goto(first.url());
    await waitForModel(second);
    const teach = async (page: Page, question: string, answer: string) => {
      const reply = await ask(page, question);
      await expect(reply.locator('.text').textContent()).resolves.toMatch(/^Abstained: /);
      await reply.getByRole('button', { name: 'Teach' }).click();
      await page.getByRole('textbox', { name: 'Correct answer' }).fill(answer);
      await page.keyboard.press('Enter');
      await page.getByRole('status').filter({ hasText: `Taught "${question}"` }).waitFor();
    };
    const zorblat = ['What does zorblat mean?', 'zorblat (noun): taught in the second tab.'];
    const quibnix = ['What does quibnix mean?', 'quibnix (verb): taught in the first tab afterwards.'];
    await teach(second, zorblat[0], zorblat[1]);
    // The first tab, loaded before, answers what the second taught without a reload.
    await expect.poll(async () => (await ask(first, zorblat[0])).locator('.text').textContent(), { timeout: 15_000 }).toBe(zorblat[1]);
    await teach(first, quibnix[0], quibnix[1]);
    await second.close();
    await first.reload();
    await waitForModel(first);
    for (const [question, answer] of [zorblat, quibnix]) await expect((await ask(first, question)).locator('.text').textContent()).resolves.toBe(answer);
  });

  it('keeps what an action says in sight on a phone with Settings open at the bottom, and the title readable in dark mode', async () => {
    const page = await openApp();
    await waitForModel(page);
    await openSettings(page);
    const exportButton = page.getByRole('button', { name: 'Export checkpoint' });
    await exportButton.scrollIntoViewIfNeeded();
    await Promise.all([page.waitForEvent('download'), exportButton.click()]);
    const status = page.locator('#status');
    await status.filter({ hasText: /exported/i }).waitFor();
    const box = (await status.boundingBox())!;
    const viewport = page.viewportSize()!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
    // Still clickable underneath: the bottom buttons are not covered for the pointer.
    await page.getByRole('button', { name: 'New conversation' }).click({ trial: true, timeout: 5000 });
    await page.emulateMedia({ colorScheme: 'dark' });
    const contrast = await page.evaluate(() => {
      const rgb = (css: string) => (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
      const luminance = ([r, g, b]: number[]) => {
        const [R, G, B] = [r, g, b].map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
        return 0.2126 * R + 0.7152 * G + 0.0722 * B;
      };
      const title = luminance(rgb(getComputedStyle(document.querySelector('header h1')!).color));
      const canvas = document.createElement('div');
      canvas.style.background = 'Canvas';
      document.body.append(canvas);
      const background = luminance(rgb(getComputedStyle(canvas).backgroundColor));
      canvas.remove();
      return (Math.max(title, background) + 0.05) / (Math.min(title, background) + 0.05);
    });
    expect(contrast).toBeGreaterThanOrEqual(4.5);
  });

  it('an unreachable appliance is named with the reason, not as an internal error, and the way back to this device', async () => {
    const page = await openApp();
    await waitForModel(page);
    await chatVia(page, 'Appliance', 'http://127.0.0.1:9');
    const line = page.locator('#engine', { hasText: /^Engine: appliance unreachable/ });
    await line.waitFor({ timeout: 15_000 });
    const text = (await line.textContent()) ?? '';
    expect(text).not.toContain('internal error');
    expect(text).toMatch(/^Engine: appliance unreachable \(.*127\.0\.0\.1:9.*\); Settings → On this device answers without it$/);
  });

  it('while an answer is under way, Enter says why the next question waits in the box, and Escape stops the answer', async () => {
    const release = holding.hold('onnx/model_quantized.onnx');
    const page = await openApp(`${holding.url}/`);
    try {
      const reply = await send(page, 'What does river mean?');
      const box = page.getByRole('textbox', { name: 'Message' });
      await box.fill('What does lake mean?');
      await box.press('Enter');
      await page.getByRole('status').filter({ hasText: 'An answer is under way: wait for it, or stop it (Stop or Escape), then send.' }).waitFor();
      await expect(box.inputValue()).resolves.toBe('What does lake mean?');
      await box.press('Escape');
      await waitForReply(page, 30_000);
      await expect(reply.textContent()).resolves.toMatch(/stopped/i);
    } finally {
      release();
    }
  });
});
