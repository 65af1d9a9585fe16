// Test support for the PWA tests: build the app, and drive the chat the way a user does (by role and accessible name).
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { build } from 'vite';

const viteConfig = fileURLToPath(new URL('../../pwa/vite.config.ts', import.meta.url));

/** Builds the PWA into `outDir`: a test file's own copy, which no other test file changes meanwhile. */
export async function buildPwa(outDir: string): Promise<void> {
  await build({ configFile: viteConfig, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
}

/** Waits until the worker reports its engine (the model is loaded). */
export async function waitForModel(page: Page): Promise<void> {
  await page.locator('body[data-ready="true"]').waitFor({ timeout: 60_000 });
}

/** Types a question, sends it with the keyboard, and returns the finished answer article. */
export async function ask(page: Page, question: string): Promise<Locator> {
  const before = await page.getByRole('log').locator('article.assistant').count();
  await page.getByRole('textbox', { name: 'Message' }).fill(question);
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  const answer = page.getByRole('log').locator('article.assistant').nth(before);
  await answer.locator('.meta', { hasText: 'confidence' }).waitFor({ timeout: 30_000 });
  return answer;
}

/** Sends a question and returns the article of what came back: an answer, or an error. */
export async function send(page: Page, question: string): Promise<Locator> {
  const turns = page.getByRole('log').locator('article');
  const before = await turns.count();
  await page.getByRole('textbox', { name: 'Message' }).fill(question);
  await page.getByRole('button', { name: 'Send' }).click();
  return turns.nth(before + 1);
}

/** Waits until the question in flight has ended (Send is enabled again). */
export async function waitForReply(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(() => [...document.querySelectorAll('form.composer button')].some((button) => button.textContent === 'Send' && !(button as HTMLButtonElement).disabled), undefined, { timeout });
}

/** Opens the settings panel if it is closed. */
export async function openSettings(page: Page): Promise<void> {
  const details = page.locator('details.settings');
  if (!(await details.evaluate((element) => (element as HTMLDetailsElement).open))) await page.getByText('Settings', { exact: true }).click();
}

/** Sends chat to the appliance at `url` (or back to this device), with `key` when given, and waits until the settings are saved. */
export async function chatVia(page: Page, backend: 'On this device' | 'Appliance', url: string, key?: string): Promise<void> {
  await openSettings(page);
  await page.getByLabel('Appliance URL').fill(url);
  if (key !== undefined) await page.getByLabel('Appliance API key').fill(key);
  await page.getByRole('radio', { name: backend }).check();
  await page.getByRole('button', { name: 'Apply settings' }).click();
  await page.getByRole('status').filter({ hasText: 'Settings saved' }).waitFor();
  await page.evaluate(() => (document.getElementById('status')!.textContent = ''));
}
