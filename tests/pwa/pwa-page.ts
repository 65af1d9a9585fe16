// Test support for the PWA tests: drive the chat the way a user does (by role and accessible name).
import type { Locator, Page } from 'playwright-core';

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

/** Opens the settings panel if it is closed. */
export async function openSettings(page: Page): Promise<void> {
  const details = page.locator('details.settings');
  if (!(await details.evaluate((element) => (element as HTMLDetailsElement).open))) await page.getByText('Settings', { exact: true }).click();
}
