// Benchmark leg: the core in a PWA-style worker, or transformers.js in a worker, on WASM in headless Chromium.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { chromiumPath } from '../../support/chromium.js';
import { pairedFigures, parseLegOptions, reportLeg } from '../leg-result.js';
import type { BenchReply } from '../browser/bench-protocol.js';
import { buildBenchWorker, coreOrtDirectory, prebuiltBundlesVariable, transformersOrtDirectory, type BenchWorkerKind } from '../browser/build-bench-worker.js';
import { startStaticServer, type StaticServer } from '../../support/static-server.js';
import { rendererPeakRssMb } from '../browser/renderer-peak-rss.js';

const kind = process.argv[2] as BenchWorkerKind;
if (kind !== 'core' && kind !== 'transformers') throw new Error(`browser-leg takes core or transformers, got ${String(kind)}`);
const options = parseLegOptions(process.argv);
// `pair`: the core on 2 threads and on 1 in one page, answering in turn (bench-pair-page.html).
const pair = kind === 'core' && process.argv.includes('pair');
// An explicit thread count (e.g. `2`) names a threaded leg; without one the leg runs options.threads.
const threadsArg = process.argv.slice(3).find((arg) => /^\d+$/.test(arg));
const threads = pair ? 2 : threadsArg ? Number(threadsArg) : options.threads;
const name = pair ? 'browser core wasm 2t vs 1t' : `browser ${kind === 'core' ? 'core' : 'transformers.js'} wasm${threadsArg ? ` ${threads}t` : ''}`;
const replyTimeoutMs = 300_000;

// Whatever hangs (a browser that never starts, a worker that never answers), the leg ends and says so.
const watchdog = setTimeout(() => {
  process.stderr.write(`${name}: no result after ${replyTimeoutMs / 1000 + 120} s, giving up\n`);
  process.exit(1);
}, replyTimeoutMs + 120_000);
watchdog.unref();

const repo = fileURLToPath(new URL('../../../', import.meta.url));
// The bench runner builds the workers once for all browser legs; a leg run alone builds its own.
const prebuilt = process.env[prebuiltBundlesVariable];
const bundle = prebuilt ? join(prebuilt, kind) : mkdtempSync(join(tmpdir(), 'nexus-browser-bench-'));
let server: StaticServer | undefined;
let browser: Browser | undefined;
const pageErrors: string[] = [];
try {
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  if (!prebuilt) await buildBenchWorker(kind, bundle);
  // Threaded legs need a cross-origin isolated page (SharedArrayBuffer, hence ORT's WASM threads).
  server = await startStaticServer(
    { '': fileURLToPath(new URL('../browser/', import.meta.url)), bench: bundle, models: join(repo, 'models'), ort: coreOrtDirectory, 'tjs-ort': transformersOrtDirectory },
    { isolated: threads > 1, index: pair ? 'bench-pair-page.html' : 'bench-page.html', cacheControl: 'no-store' },
  );
  browser = await chromium.launch({ executablePath: chromiumPath, timeout: 60_000, args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
  const page = await browser.newPage();
  const base = server.url;
  // Everything must come from the local server: a request elsewhere (a CDN fallback) fails the leg.
  const offsite: string[] = [];
  page.context().on('request', (sent) => {
    if (!sent.url().startsWith(base) && !/^(data|blob):/.test(sent.url())) offsite.push(sent.url());
  });
  page.on('pageerror', (error) => pageErrors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`);
  });
  const request = { ...options, threads };
  await page.goto(`${server.url}?worker=${kind}&options=${encodeURIComponent(JSON.stringify(request))}`, { timeout: 30_000 });
  const handle = await page.waitForFunction(() => (window as Window & { benchReply?: unknown }).benchReply, undefined, { timeout: replyTimeoutMs, polling: 200 });
  const reply = (await handle.jsonValue()) as BenchReply & { navigationStart: number };
  if (reply.type === 'error') throw new Error(reply.message);
  if (offsite.length) throw new Error(`requests outside the local server: ${offsite.join(', ')}`);
  const peak = rendererPeakRssMb();
  const notes = [
    reply.note,
    reply.crossOriginIsolated ? 'cross-origin isolated' : 'not cross-origin isolated',
    peak === undefined ? 'peak RSS not measurable here (0)' : 'peak RSS = Chromium renderer VmHWM (page + worker + WASM)',
    'load and timings measured in the worker; cold start = navigation to first token',
    pair ? 'two workers in one page, 2 threads and 1, answering in turn; load and cold start are the 2-thread worker\'s, which loads second' : '',
  ];
  reportLeg(name, options, reply.loadMs, reply.firstTokenAt - reply.navigationStart, reply.timings, reply.engine, notes.filter(Boolean).join('; '), {
    peak_rss_mb: Math.round((peak ?? 0) * 10) / 10,
    threads: reply.threads,
    ...(reply.baseline && { paired: pairedFigures('the core on 1 WASM thread in a second worker of the same page, answering right before or after', reply.timings, reply.baseline) }),
  });
} catch (error) {
  // One line first: run.ts keeps the head of stderr as the leg's failure.
  process.stderr.write(`${name} failed: ${(error as Error).message.split('\n')[0]}\n${[...pageErrors, (error as Error).stack ?? ''].join('\n')}\n`);
  process.exitCode = 1;
} finally {
  clearTimeout(watchdog);
  await browser?.close().catch(() => {});
  await server?.close();
  if (!prebuilt) rmSync(bundle, { recursive: true, force: true });
}
