// The PWA opened over plain HTTP by a LAN name (not localhost), as a phone reaches an appliance before `nexusctl tls init`:
// no secure context, so no Cache Storage, WebCrypto, Web Locks, service worker or install. The model still loads
// and answers, checkpoints still carry the right SHA-256s, the page says what plain HTTP costs, and an answer streaming
// in another tab still ends there when that tab dies (its silence, in place of a Web Lock).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '../../runtime/core/index.js';
import { ANSWER_SILENCE_MS } from '../../pwa/src/answer-silence-watch.js';
import { createAssistant } from '../../runtime/node/create-assistant.js';
import { contentSecurityPolicy } from '../../runtime/node/http/security-headers.js';
import { launchChromium } from '../support/chromium.js';
import { startStaticServer, type StaticServer } from '../support/static-server.js';
import { ask, buildPwa, openSettings, waitForModel, waitForReply } from './pwa-page.js';
import { askSlowly, withSlowAppliance } from './slow-appliance.js';

const lanName = 'nexus-pi.test';
let dist: string;
let server: StaticServer;
let browser: Browser;
let page: Page;
let lanUrl: string;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'nexus-pwa-plain-http-'));
  await buildPwa(dist);
  server = await startStaticServer(dist, { contentSecurityPolicy });
  lanUrl = `http://${lanName}:${new URL(server.url).port}/`;
  browser = await launchChromium({ extraArgs: [`--host-resolver-rules=MAP ${lanName} 127.0.0.1`] });
  page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dist) rmSync(dist, { recursive: true, force: true });
});

const modelFileRequests = () => server.requests.filter((path) => path.endsWith('.onnx')).length;

describe('the PWA over plain HTTP on a LAN name', () => {
  it('loads the model, answers, and says that plain HTTP keeps it from caching, installing and working offline', async () => {
    await page.goto(lanUrl);
    expect(await page.evaluate(() => ({ secure: isSecureContext, caches: typeof caches, subtle: typeof crypto.subtle, locks: typeof navigator.locks }))).toEqual({
      secure: false,
      caches: 'undefined',
      subtle: 'undefined',
      locks: 'undefined',
    });
    await waitForModel(page);
    await expect.poll(() => page.locator('#storage').textContent()).toMatch(/none over plain HTTP.*downloaded again on every visit.*nexusctl tls init/);
    expect(await (await ask(page, 'What does river mean?')).textContent()).toMatch(/river/i);
  });

  it('exports a checkpoint whose SHA-256s (computed without WebCrypto) Node accepts, the model’s included', async () => {
    await openSettings(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export checkpoint' }).click()]);
    const exported = new Uint8Array(readFileSync((await download.path())!));
    const { modelSha256 } = (await createAssistant()).model;
    const decoded = await decodeCheckpoint(exported, { modelSha256 });
    expect(decoded.header.modelSha256).toBe(modelSha256);
    expect(decoded.modelMismatch).toBe(false);
  });

  it('downloads the model again on a reload, since nothing can be cached', async () => {
    const before = modelFileRequests();
    expect(before).toBeGreaterThan(0);
    await page.reload();
    await waitForModel(page);
    expect(modelFileRequests()).toBe(2 * before);
    expect(await (await ask(page, 'What does lantern mean?')).textContent()).toMatch(/lantern/i);
  });

  it('shows another tab’s slow answer through to its end, and drops one whose tab crashed mid-answer after its silence', async () => {
    const earlier = (await page.getByRole('log').locator('article').allTextContents()).length;
    const turnsShown = async () => (await page.getByRole('log').locator('article').allTextContents()).slice(earlier);
    // Alive: its answer takes 10 s, longer than the silence that ends one, and is shown throughout, then saved.
    await withSlowAppliance(10_000, async (slowUrl) => {
      const asking = await page.context().newPage();
      await asking.goto(lanUrl);
      await waitForModel(asking);
      await askSlowly(asking, slowUrl, 'What does alive mean?');
      const streamed = page.getByRole('log').locator('article.assistant .text', { hasText: /^slowly $/ });
      await streamed.waitFor();
      await page.waitForTimeout(ANSWER_SILENCE_MS + 1500);
      await expect(streamed.count()).resolves.toBe(1);
      await page.getByRole('log').locator('article.assistant .text', { hasText: 'slowly answered' }).waitFor({ timeout: 20_000 });
      await waitForReply(asking);
      await asking.close();
    });
    await expect(turnsShown()).resolves.toEqual([expect.stringContaining('alive'), expect.stringContaining('slowly answered')]);
    // Crashed: the tab says nothing; its answer goes once it has been silent, its question stays.
    await withSlowAppliance(60_000, async (slowUrl) => {
      const asking = await page.context().newPage();
      await asking.goto(lanUrl);
      await waitForModel(asking);
      await askSlowly(asking, slowUrl, 'What does crashed mean?');
      await page.getByRole('log').locator('article.assistant .text', { hasText: /^slowly $/ }).waitFor();
      const crashed = asking.waitForEvent('crash');
      // The command's reply never comes from a renderer that crashed.
      void (await asking.context().newCDPSession(asking)).send('Page.crash').catch(() => undefined);
      await crashed;
      await page.getByRole('log').locator('article.assistant .text', { hasText: /^slowly $/ }).waitFor({ state: 'detached', timeout: 20_000 });
      await expect(turnsShown()).resolves.toEqual([expect.stringContaining('alive'), expect.stringContaining('slowly answered'), expect.stringContaining('crashed')]);
    });
  });
});
