// Browser faults in Chromium: an interrupted model download, a full IndexedDB quota, two tabs writing checkpoints at once.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromiumProfile, type ChromiumProfile } from '../support/chromium.js';
import { ask, waitForModel } from '../pwa/pwa-page.js';
import { buildForBrowserTests, startFlakyServer, type FlakyServer } from './browser-support.js';

let outDir: string;
let server: FlakyServer;
let profile: ChromiumProfile;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'nexus-pwa-reliability-'));
  await buildForBrowserTests(outDir);
  server = await startFlakyServer(outDir);
  // A real profile, not an incognito context: quota is enforced on disk-backed storage only.
  profile = await launchChromiumProfile();
  context = profile.context;
  page = context.pages()[0] ?? (await context.newPage());
}, 180_000);

afterAll(async () => {
  await profile?.close();
  await server?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

/** The page's window once `exposeStore` ran. */
type StoreWindow = { nexusTest: typeof import('../../pwa/src/worker/idb-checkpoint-store.js') };

/** Loads the bundled IdbCheckpointStore into `tab` as window.nexusTest (a module script: vitest rewrites import() inside evaluate). */
async function exposeStore(tab: Page): Promise<void> {
  await tab.addScriptTag({ type: 'module', content: "import * as store from '/__test/idb-store.js'; window.nexusTest = store;" });
  await tab.waitForFunction(() => 'nexusTest' in window);
}

describe('PWA under faults', () => {
  it('an interrupted model download: a clear message, and a reload retries and loads the model', async () => {
    server.dropNext('.onnx', 1);
    await page.goto(server.url);
    await page.locator('#engine', { hasText: 'Engine failed' }).waitFor({ timeout: 60_000 });
    const message = await page.locator('#engine').textContent();
    expect(message).toMatch(/download of onnx\/model_\w+\.onnx failed: the connection was interrupted .*reload to retry/);
    await page.reload();
    await waitForModel(page);
    expect(server.requests.filter((path) => path.endsWith('.onnx')).length).toBe(2);
    const answer = await ask(page, 'What does river mean?');
    await expect(answer.locator('.text').textContent()).resolves.toMatch(/^river \(noun\)/);
  }, 120_000);

  it('IndexedDB quota exceeded: the write fails with a clear STORAGE_QUOTA_EXCEEDED, and what was stored stays whole and loadable', async () => {
    // A plain origin (localhost, not the PWA's 127.0.0.1): the PWA asked for persistent storage, and
    // Chromium's quota override did not limit it there (see the report).
    const url = `${server.url.replace('127.0.0.1', 'localhost')}__test/idb-store.js`;
    const origin = new URL(url).origin;
    const inTab = async <T>(work: () => Promise<T>, quotaSize?: number): Promise<T> => {
      // A fresh tab each time: an open IndexedDB connection keeps the quota it opened with.
      const tab = await context.newPage();
      try {
        await tab.goto(url);
        if (quotaSize !== undefined) {
          // The override is set through the tab's own session and reaches the quota manager asynchronously.
          await (await context.newCDPSession(tab)).send('Storage.overrideQuotaForOrigin', { origin, quotaSize });
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
        await exposeStore(tab);
        return await tab.evaluate(work);
      } finally {
        await tab.close();
      }
    };
    const before = await inTab(async () => {
      const store = new (window as unknown as StoreWindow).nexusTest.IdbCheckpointStore('nexus-quota', 5);
      for (let i = 0; i < 3; i++) await store.write(new Uint8Array(1000).fill(i + 1));
      return (await store.list()).map((item) => item.id);
    });
    // Chromium keeps a closed database's backing store (and the quota it read) open for a few seconds.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    const failure = await inTab(async () => {
      const store = new (window as unknown as StoreWindow).nexusTest.IdbCheckpointStore('nexus-quota', 5);
      try {
        await store.write(new Uint8Array(200_000).fill(9));
        return { code: 'none', message: 'the write was accepted' };
      } catch (error) {
        return { code: (error as { code?: string }).code, message: (error as Error).message };
      }
    }, 1000);
    expect(failure.code).toBe('STORAGE_QUOTA_EXCEEDED');
    expect(failure.message).toBe('storage is full: IndexedDB nexus-quota refused 200000 bytes; free some space or export the checkpoint to a file');
    const after = await inTab(async () => {
      const store = new (window as unknown as StoreWindow).nexusTest.IdbCheckpointStore('nexus-quota', 5);
      const items = await store.list();
      return Promise.all(items.map(async (item) => ({ id: item.id, whole: (await store.read(item.id)).every((b, _, all) => b === all[0] && b !== 9) })));
    });
    expect(after.map((item) => item.id)).toEqual([...before].sort().reverse());
    expect(after.every((item) => item.whole)).toBe(true);
  }, 120_000);

  it('IndexedDB quota exceeded on teach in the app: a clear message, and it keeps answering', async () => {
    const origin = server.url.replace(/\/$/, '');
    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1 });
    try {
      // Leave the app so its database closes, and reopen it under the override.
      await page.goto('about:blank');
      await new Promise((resolve) => setTimeout(resolve, 3500));
      await page.goto(server.url);
      await waitForModel(page);
      const answer = await ask(page, 'What does blorvantic mean?');
      await answer.getByRole('button', { name: 'Teach' }).click();
      await page.getByRole('textbox', { name: 'Correct answer' }).fill('blorvantic (adjective): taught while storage is full.');
      await page.keyboard.press('Enter');
      await page.locator('#status', { hasText: /Teaching failed|Taught/ }).waitFor({ timeout: 20_000 });
      expect(await page.locator('#status').textContent()).toMatch(/^Teaching failed: storage is full: IndexedDB nexus-checkpoints refused \d+ bytes/);
      await expect(ask(page, 'What does river mean?').then((a) => a.locator('.text').textContent())).resolves.toMatch(/^river/);
    } finally {
      await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    }
  }, 120_000);

  it('two tabs writing checkpoints at the same moment: every write kept whole, the store loadable', async () => {
    const tabs = [page, await context.newPage()];
    for (const tab of tabs) await tab.goto(server.url);
    for (const tab of tabs) await exposeStore(tab);
    const PER_TAB = 25;
    const startAt = Date.now() + 1500;
    const results = await Promise.all(
      tabs.map((tab, index) =>
        tab.evaluate(
          async ({ index, startAt, perTab }) => {
            const { IdbCheckpointStore } = (window as unknown as StoreWindow).nexusTest;
            const store = new IdbCheckpointStore('nexus-two-tabs', 1000);
            while (Date.now() < startAt) await new Promise((resolve) => setTimeout(resolve, 1));
            const ids: string[] = [];
            for (let i = 0; i < perTab; i++) {
              const bytes = new Uint8Array(2048 + i).fill(index * 100 + i);
              ids.push((await store.write(bytes)).id);
            }
            return ids;
          },
          { index, startAt, perTab: PER_TAB },
        ),
      ),
    );
    const check = await tabs[0].evaluate(async () => {
      const { IdbCheckpointStore } = (window as unknown as StoreWindow).nexusTest;
      const store = new IdbCheckpointStore('nexus-two-tabs', 1000);
      const items = await store.list();
      const contents: Array<{ id: string; first: number; size: number; whole: boolean }> = [];
      for (const item of items) {
        const bytes = await store.read(item.id);
        contents.push({ id: item.id, first: bytes[0], size: bytes.byteLength, whole: bytes.every((b) => b === bytes[0]) });
      }
      return contents;
    });
    expect(new Set(results.flat()).size).toBe(2 * PER_TAB);
    expect(check).toHaveLength(2 * PER_TAB);
    for (const [index, ids] of results.entries()) {
      for (const [i, id] of ids.entries()) expect(check.find((c) => c.id === id)).toMatchObject({ first: index * 100 + i, size: 2048 + i, whole: true });
    }
  }, 120_000);
});
