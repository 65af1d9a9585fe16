// startServedPwa: a test file's own build of the PWA, served under the appliance's CSP and behind a holding front, with a phone-sized Chromium.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { contentSecurityPolicy } from '../../runtime/node/http/security-headers.js';
import { launchChromium } from '../support/chromium.js';
import { startStaticServer, type StaticServer } from '../support/static-server.js';
import { startHoldingServer, type HoldingServer } from './holding-server.js';
import { buildPwa } from './pwa-page.js';

const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 };

export interface ServedPwa {
  /** The build (an appliance may serve it too). */
  dist: string;
  server: StaticServer;
  /** The same app through a front that can hold its model files back. */
  holding: HoldingServer;
  browser: Browser;
  /** The app at `url` (default: the static server) in a new phone-sized context: nothing cached, no service worker yet. */
  open(url?: string): Promise<Page>;
  close(): Promise<void>;
}

export async function startServedPwa(prefix: string): Promise<ServedPwa> {
  const dist = mkdtempSync(join(tmpdir(), prefix));
  await buildPwa(dist);
  const server = await startStaticServer(dist, { contentSecurityPolicy });
  const holding = await startHoldingServer(server.url);
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];
  return {
    dist,
    server,
    holding,
    browser,
    async open(url = server.url) {
      const context = await browser.newContext(phone);
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(url);
      return page;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await holding.close();
      await server.close();
      rmSync(dist, { recursive: true, force: true });
    },
  };
}
