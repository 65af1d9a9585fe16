// Test support: an appliance-shaped server whose answers stream their start at once and their end later, and a tab
// asking it (what the cross-tab and pending-answer tests need an answer under way for).
import { createServer } from 'node:http';
import type { Page } from 'playwright-core';
import { listenOnLoopback } from '../support/listen-on-loopback.js';
import { applianceCors as cors } from './appliance-cors.js';
import { chatVia, send } from './pwa-page.js';

/** An appliance-shaped server that streams the start of its answer at once and the rest after `delayMs`. */
export async function startSlowAppliance(delayMs: number) {
  const server = createServer((request, response) => {
    if (request.method === 'OPTIONS') return void response.writeHead(204, cors).end();
    request.resume();
    if (request.url === '/api/status') return void response.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify({ state: 'serving', model: { id: 'slow', dtype: 'q8', engine: 'wasm' } }));
    if (!request.url?.startsWith('/api/interact')) return void response.writeHead(404, cors).end();
    response.writeHead(200, { ...cors, 'content-type': 'text/event-stream' });
    response.write(`event: delta\ndata: ${JSON.stringify({ text: 'slowly ' })}\n\n`);
    const timer = setTimeout(() => {
      response.write(`event: delta\ndata: ${JSON.stringify({ text: 'answered' })}\n\n`);
      response.end(`event: done\ndata: ${JSON.stringify({ response: 'slowly answered', confidence: 0.9, decision: 'answered', source: 'model', finishReason: 'eos' })}\n\n`);
    }, delayMs);
    response.on('close', () => clearTimeout(timer));
  });
  return listenOnLoopback(server);
}

/** Runs `use` with a slow appliance (its answer's end comes `delayMs` after its start), closed afterwards. */
export async function withSlowAppliance(delayMs: number, use: (url: string) => Promise<void>): Promise<void> {
  const slow = await startSlowAppliance(delayMs);
  try {
    await use(slow.url);
  } finally {
    await slow.close();
  }
}

/** Chats through the appliance at `url` and sends `question`; resolves once the start of its answer shows (in the last answer: earlier ones may be slow ones too). */
export async function askSlowly(page: Page, url: string, question: string): Promise<void> {
  await chatVia(page, 'Appliance', url);
  await send(page, question);
  await page.getByRole('log').locator('article.assistant').last().locator('.text', { hasText: 'slowly' }).waitFor();
}
