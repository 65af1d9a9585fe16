// What a user test found in the PWA, each checked in Chromium as the user met it: questions while the model loads,
// a model switch that fails, "Reload to update" in the first session, Teach on the appliance, quick route changes,
// errors and stopped answers, abstentions, the Teach form, the dashboard's key and origin, and the log's scroll.
import { appendFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAppliance, type TestAppliance } from '../node/appliance/appliance-harness.js';
import { listenOnLoopback } from '../support/listen-on-loopback.js';
import { applianceCors as cors } from './appliance-cors.js';
import type { HoldingServer } from './holding-server.js';
import { startServedPwa, type ServedPwa } from './served-pwa.js';
import type { StaticServer } from '../support/static-server.js';
import { startNeverEndingStream } from './never-ending-stream.js';
import { ask, chatVia, openSettings, send, waitForModel, waitForReply } from './pwa-page.js';

const RIVER = 'river (noun): a large natural stream of water (larger than a creek).';
const MADE_UP = 'What does blorvantic mean?';
const TAUGHT = 'blorvantic (adjective): taught on the appliance from the PWA.';

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function sse(response: ServerResponse, events: Array<[string, unknown]>): void {
  response.writeHead(200, { ...cors, 'content-type': 'text/event-stream' }).end(events.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join(''));
}

/** An appliance-shaped server answering `METHOD /path` as `routes` say: answers a real appliance gives only at rare moments. */
async function startStubAppliance(routes: Record<string, (response: ServerResponse) => void>) {
  const server = createServer((request, response) => {
    if (request.method === 'OPTIONS') return void response.writeHead(204, cors).end();
    request.resume();
    const reply = routes[`${request.method} ${new URL(request.url ?? '/', 'http://stub').pathname}`];
    if (reply) reply(response);
    else json(response, 404, { error: { code: 'NOT_FOUND', message: 'not found', details: {} } });
  });
  return listenOnLoopback(server);
}

const stubStatus = (response: ServerResponse) => json(response, 200, { state: 'serving', model: { id: 'stub', dtype: 'q8', engine: 'wasm' } });

describe('PWA user fixes in Chromium', () => {
  let pwa: ServedPwa;
  let dist: string;
  let server: StaticServer;
  let holding: HoldingServer;
  let appliance: TestAppliance;
  let openApp: ServedPwa['open'];

  beforeAll(async () => {
    pwa = await startServedPwa('nexus-pwa-fixes-');
    ({ dist, server, holding, open: openApp } = pwa);
    // The real appliance, serving this build too (the dashboard then finds it on the page's own origin).
    appliance = await startTestAppliance({ cors: { origins: [server.url.replace(/\/$/, ''), holding.url] } }, { staticDir: dist });
  }, 240_000);

  afterAll(async () => {
    await appliance?.stop();
    await pwa?.close();
  });

  async function postToAppliance(path: string, body: unknown, key?: string): Promise<Record<string, unknown>> {
    const response = await fetch(`${appliance.app.lanUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) }, body: JSON.stringify(body) });
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  }

  it('answers a question sent while the model still downloads once it has loaded, saying meanwhile that it loads', async () => {
    const release = holding.hold('onnx/model_quantized.onnx');
    const page = await openApp(`${holding.url}/`);
    const reply = await send(page, 'What does river mean?');
    await page.waitForTimeout(500);
    await expect(page.locator('#engine').textContent()).resolves.toBe('Engine: loading…');
    await expect(page.getByRole('log').locator('article.error').count()).resolves.toBe(0);
    // The small files are in, the model file is not: the line counts it from the start.
    await expect(page.locator('#download-text').textContent()).resolves.toMatch(/^Downloading onnx\/model_quantized\.onnx: \d+% /);
    release();
    await waitForReply(page, 60_000);
    await expect(reply.getAttribute('class')).resolves.toBe('turn assistant');
    await expect(reply.locator('.text').textContent()).resolves.toBe(RIVER);
  });

  it('ends a question stopped while the model loads as stopped before it was checked, then answers the next', async () => {
    const release = holding.hold('onnx/model_quantized.onnx');
    const page = await openApp(`${holding.url}/`);
    const stopped = await send(page, 'What does lantern mean?');
    await page.getByRole('button', { name: 'Stop' }).click();
    // At once, while the model is still held back: not when it has loaded.
    await waitForReply(page, 10_000);
    await expect(stopped.locator('.text').textContent()).resolves.toBe('Stopped before the answer was checked.');
    await expect(stopped.locator('.meta').textContent()).resolves.toBe('');
    release();
    await expect(ask(page, 'What does river mean?').then((answer) => answer.locator('.text').textContent())).resolves.toBe(RIVER);
  });

  it('keeps answering on the loaded model while another loads, and switches when it is ready', async () => {
    const page = await openApp(`${holding.url}/`);
    await waitForModel(page);
    // The loaded model's speed, measured as it warms up, stays on the line while the other loads.
    await page.locator('#engine', { hasText: /^Engine: wasm-\w+.* · model lexicon-tiny q8 · \d+\.\d tokens\/s$/ }).waitFor();
    const release = holding.hold('onnx/model_q4.onnx');
    await openSettings(page);
    await page.getByLabel('Precision').selectOption('q4');
    await page.getByRole('button', { name: 'Apply settings' }).click();
    await page.locator('#engine', { hasText: /^Engine: loading lexicon-tiny q4… \(lexicon-tiny q8 \(wasm-\w+\) answers meanwhile, \d+\.\d tokens\/s\)$/ }).waitFor();
    const meanwhile = await ask(page, 'What does river mean?');
    await expect(meanwhile.locator('.text').textContent()).resolves.toBe(RIVER);
    // The speed of that answer is the answering model's, and said so inside the loading line.
    await page.locator('#engine', { hasText: /^Engine: loading lexicon-tiny q4… \(lexicon-tiny q8 \(wasm-\w+\) answers meanwhile, \d+\.\d tokens\/s\)$/ }).waitFor();
    await expect(page.locator('#status').textContent()).resolves.toBe('Applying settings…');
    // A correction taught meanwhile goes to the loaded model, and moves with the switch.
    const unknown = await ask(page, MADE_UP);
    await unknown.getByRole('button', { name: 'Teach' }).click();
    await unknown.getByRole('textbox', { name: 'Correct answer' }).fill(TAUGHT);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: /^Taught "What does blorvantic mean\?" \(\d+ in memory\)\.$/ }).waitFor();
    release();
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor({ timeout: 60_000 });
    await page.locator('#engine', { hasText: 'model lexicon-tiny q4' }).waitFor();
    await expect(ask(page, 'What does river mean?').then((answer) => answer.locator('.text').textContent())).resolves.toBe(RIVER);
    const remembered = await ask(page, MADE_UP);
    await expect(remembered.locator('.text').textContent()).resolves.toBe(TAUGHT);
    await expect(remembered.locator('.meta').textContent()).resolves.toContain('from memory');
  });

  it('keeps the working model and its settings when the new one cannot load (offline), and says so', async () => {
    const page = await openApp();
    await waitForModel(page);
    // Offline, the app shell and the model's registry come from the service worker's precache.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
    const engineBefore = await page.locator('#engine').textContent();
    await page.context().setOffline(true);
    await openSettings(page);
    await page.getByLabel('Precision').selectOption('q4');
    await page.getByRole('button', { name: 'Apply settings' }).click();
    await page.getByRole('status').filter({ hasText: /^Could not switch to lexicon-tiny q4: .*onnx\/model_q4\.onnx.*; still on lexicon-tiny q8 \(wasm-\w+\)\.$/ }).waitFor({ timeout: 60_000 });
    await expect(page.getByLabel('Precision').inputValue()).resolves.toBe('q8');
    await expect(page.evaluate(() => JSON.parse(localStorage.getItem('nexus-settings') ?? '{}').dtype ?? 'q8')).resolves.toBe('q8');
    await expect(page.locator('#engine').textContent()).resolves.toContain(engineBefore!.split(' · ').slice(0, 2).join(' · '));
    await expect(page.locator('#download-text').textContent()).resolves.toMatch(/^Model not loaded: .*model_q4\.onnx/);
    const answer = await ask(page, 'What does river mean?');
    await expect(answer.locator('.text').textContent()).resolves.toBe(RIVER);
  });

  it('reloads into a new version when the user asks, in the session that first installed the app', async () => {
    const page = await openApp();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
    await waitForModel(page);
    appendFileSync(join(dist, 'sw.js'), `\n// deployed ${Date.now()}\n`);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    const reload = page.getByRole('button', { name: 'Reload to update' });
    await reload.waitFor({ timeout: 30_000 });
    await Promise.all([page.waitForEvent('load', { timeout: 15_000 }), reload.click()]);
    await waitForModel(page);
  });

  it('teaches the appliance when chat goes there, not this device', async () => {
    const page = await openApp();
    await waitForModel(page);
    await chatVia(page, 'Appliance', appliance.app.lanUrl);
    const reply = await send(page, MADE_UP);
    await waitForReply(page);
    await expect(reply.locator('.text').textContent()).resolves.toMatch(/^Abstained: /);
    await reply.getByRole('button', { name: 'Teach' }).click();
    await page.getByRole('textbox', { name: 'Correct answer' }).fill(TAUGHT);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: /^Taught "What does blorvantic mean\?" on the appliance \(\d+ in memory\)\.$/ }).waitFor();
    await expect(reply.locator('form.teach').count()).resolves.toBe(0);
    const answered = await postToAppliance('/api/interact', { prompt: MADE_UP });
    expect(answered).toMatchObject({ response: TAUGHT, source: 'memory' });
  });

  it('keeps the Teach form open with the problem beside it when the answer is blank or is not saved, and closes it once saved', async () => {
    const keyNeeded = await startStubAppliance({
      'GET /api/status': stubStatus,
      'POST /api/interact': (response) => sse(response, [['delta', { text: RIVER }], ['done', { response: RIVER, confidence: 0.91, decision: 'answered', source: 'model', finishReason: 'eos' }]]),
      'POST /api/teach': (response) => json(response, 401, { error: { code: 'UNAUTHORIZED', message: 'missing or invalid API key', details: {} } }),
    });
    try {
      const page = await openApp();
      await waitForModel(page);
      await chatVia(page, 'Appliance', keyNeeded.url);
      const reply = await send(page, 'What does river mean?');
      await waitForReply(page);
      await reply.getByRole('button', { name: 'Teach' }).click();
      const correction = reply.getByRole('textbox', { name: 'Correct answer' });
      await correction.fill('   ');
      await correction.press('Enter');
      await reply.locator('.teach-error', { hasText: 'Type the right answer first.' }).waitFor();
      await correction.fill('a stream, taught without a key');
      await correction.press('Enter');
      await reply.locator('.teach-error', { hasText: 'Not saved: an API key with the chat scope is needed (HTTP 401: missing or invalid API key)' }).waitFor();
      await page.getByRole('status').filter({ hasText: 'Teaching failed: an API key with the chat scope is needed' }).waitFor();
      await expect(correction.inputValue()).resolves.toBe('a stream, taught without a key');

      await chatVia(page, 'On this device', '');
      const local = await ask(page, 'What does river mean?');
      await local.getByRole('button', { name: 'Teach' }).click();
      await local.getByRole('textbox', { name: 'Correct answer' }).fill('a stream, taught on this device');
      await page.keyboard.press('Enter');
      await page.getByRole('status').filter({ hasText: /^Taught "What does river mean\?" \(\d+ in memory\)\.$/ }).waitFor();
      await expect(local.locator('form.teach').count()).resolves.toBe(0);
    } finally {
      await keyNeeded.close();
    }
  });

  it('shows one chat view after two quick route changes', async () => {
    const page = await openApp();
    await page.getByRole('textbox', { name: 'Message' }).waitFor();
    await page.evaluate(() => {
      location.hash = '#/dashboard';
      location.hash = '#/';
    });
    await page.waitForTimeout(1000);
    await expect(page.locator('#message').count()).resolves.toBe(1);
    await expect(page.locator('form.composer').count()).resolves.toBe(1);
    await expect(page.locator('details.settings').count()).resolves.toBe(1);
  });

  it('shows errors as errors and stopped answers as stopped, without a confidence the gate did not check', async () => {
    const page = await openApp();
    await waitForModel(page);
    const assistantTurns = page.getByRole('log').locator('article.assistant');

    await postToAppliance('/api/control', { action: 'pause' }, appliance.adminKey);
    try {
      await chatVia(page, 'Appliance', appliance.app.lanUrl);
      const paused = await send(page, 'What does river mean?');
      await waitForReply(page);
      await expect(paused.getAttribute('class')).resolves.toBe('turn error');
      await expect(paused.textContent()).resolves.toBe('Not answered: the appliance is paused; resume it to accept new work');
      await expect(paused.getByRole('button', { name: 'Teach' }).count()).resolves.toBe(0);
    } finally {
      await postToAppliance('/api/control', { action: 'resume' }, appliance.adminKey);
    }

    await chatVia(page, 'Appliance', 'http://127.0.0.1:9');
    const unreachable = await send(page, 'What does river mean?');
    await waitForReply(page);
    await expect(unreachable.textContent()).resolves.toMatch(/^Not answered: the appliance at http:\/\/127\.0\.0\.1:9 could not be reached \(.+\)$/);
    await expect(assistantTurns.count()).resolves.toBe(0);

    const endless = await startNeverEndingStream();
    try {
      await chatVia(page, 'Appliance', endless.url);
      const cut = await send(page, 'Tell me slowly');
      await cut.locator('.text', { hasText: 'and on and on' }).waitFor();
      await page.getByRole('button', { name: 'Stop' }).click();
      await waitForReply(page);
      await expect(cut.locator('.text').textContent()).resolves.toMatch(/^(and on )+ \[stopped\]$/);
      await expect(cut.locator('.meta').textContent()).resolves.toBe('');
    } finally {
      await endless.close();
    }

    const stoppedEarly = await startStubAppliance({
      'GET /api/status': stubStatus,
      'POST /api/interact': (response) => sse(response, [['done', { response: '', confidence: 1, decision: 'stopped', source: 'model', finishReason: 'aborted' }]]),
    });
    try {
      await chatVia(page, 'Appliance', stoppedEarly.url);
      const unchecked = await send(page, 'What does river mean?');
      await waitForReply(page);
      await expect(unchecked.locator('.text').textContent()).resolves.toBe('Stopped before the answer was checked.');
      await expect(unchecked.locator('.meta').textContent()).resolves.toBe('');
    } finally {
      await stoppedEarly.close();
    }
  });

  it('says an abstention\'s confidence once', async () => {
    const page = await openApp();
    await waitForModel(page);
    const abstained = await ask(page, MADE_UP);
    await expect(abstained.locator('.text').textContent()).resolves.toBe("Abstained: I don't know that.");
    await expect(abstained.locator('.meta').textContent()).resolves.toMatch(/^confidence \d\.\d\d · from model$/);
    await expect(abstained.textContent().then((text) => text!.match(/confidence/g)?.length)).resolves.toBe(1);
  });

  it('finds the appliance serving the page for its dashboard, and says that pausing it needs an admin key', async () => {
    const page = await openApp(`${appliance.app.lanUrl}/#/dashboard`);
    await page.getByRole('heading', { name: `Dashboard: ${appliance.app.lanUrl}` }).waitFor();
    await page.getByLabel('Status').filter({ hasText: 'serving' }).waitFor();
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('status').filter({ hasText: /^Appliance: pause failed: an admin key is needed \(HTTP 401/ }).waitFor();
    const status = (await (await fetch(`${appliance.app.lanUrl}/api/status`)).json()) as { state: string };
    expect(status.state).toBe('serving');
  });

  it('scrolls the conversation to the end of each finished answer, its Teach button in full view (390×844)', async () => {
    const page = await openApp();
    await waitForModel(page);
    for (let i = 0; i < 5; i++) {
      await ask(page, 'What does river mean?');
      const shown = await page.evaluate(() => {
        const log = document.querySelector('[role="log"]') as HTMLElement;
        const { top, bottom } = log.getBoundingClientRect();
        const buttons = document.querySelectorAll('article.assistant .teach-button');
        const teach = buttons[buttons.length - 1].getBoundingClientRect();
        return { atEnd: log.scrollTop + log.clientHeight >= log.scrollHeight - 1, inLog: teach.top >= top && teach.bottom <= bottom, inViewport: teach.bottom <= innerHeight };
      });
      expect(shown).toEqual({ atEnd: true, inLog: true, inViewport: true });
    }
  });
});
