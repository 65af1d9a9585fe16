// Benchmark leg: the core on two WASM threads against one, paired. onnxruntime-web fixes a process's thread count
// when its module starts, so the two run in two child processes that answer in turn (alternating which goes first):
// each 2-thread answer is divided by the 1-thread answer run right before or after it, under the same machine load,
// instead of comparing two legs run a minute apart.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { pairedFigures, parseLegOptions, reportLeg, type RunTiming } from '../leg-result.js';
import { processPeakRssMb } from '../process-peak-rss.js';

const options = parseLegOptions(process.argv);
const childFile = fileURLToPath(new URL('./threads-answerer.ts', import.meta.url));

/** A line the answerer prints: `ready` with its load and cold start once warmed up, then `answered` with a timing per ask. */
interface ChildMessage {
  event: 'ready' | 'answered';
  loadMs: number;
  coldStartMs: number;
  timing: RunTiming;
}

interface Answerer {
  child: ChildProcess;
  ready: { loadMs: number; coldStartMs: number };
  ask(): Promise<RunTiming>;
}

/** Starts a child answering on `threads` WASM threads; resolves once it has loaded and warmed up. */
async function startAnswerer(threads: number): Promise<Answerer> {
  const child = spawn(process.execPath, ['--import', 'tsx', childFile, String(threads), JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'inherit'] });
  // One message is awaited at a time (the ready line, then each answer); an exit fails it, or the next ask, at once
  // instead of leaving the leg waiting for run.ts's timeout.
  let waiting: { resolve(message: ChildMessage): void; reject(error: Error): void } | undefined;
  let exited: Error | undefined;
  const next = () => (exited ? Promise.reject(exited) : new Promise<ChildMessage>((resolve, reject) => (waiting = { resolve, reject })));
  child.once('exit', (code) => {
    exited = new Error(`the ${threads}-thread answerer exited with ${code}`);
    waiting?.reject(exited);
  });
  createInterface({ input: child.stdout! }).on('line', (line) => waiting?.resolve(JSON.parse(line) as ChildMessage));
  const ready = await next();
  return {
    child,
    ready,
    async ask() {
      const answered = next();
      if (!exited) child.stdin!.write('ask\n');
      return (await answered).timing;
    },
  };
}

const answerers: Answerer[] = [];
try {
  // One after the other: two loads and warm-ups at once would each take both cores.
  answerers.push(await startAnswerer(1), await startAnswerer(2));
  const [one, two] = answerers;
  const oneThread: RunTiming[] = [];
  const twoThreads: RunTiming[] = [];
  for (let pair = 0; pair < options.pairsPerRun * options.runs; pair++) {
    if (pair % 2 === 0) {
      oneThread.push(await one.ask());
      twoThreads.push(await two.ask());
    } else {
      twoThreads.push(await two.ask());
      oneThread.push(await one.ask());
    }
  }
  const peakRss = (two.child.pid && processPeakRssMb(two.child.pid)) || 0;
  reportLeg('core wasm 2t vs 1t', { ...options, threads: 2 }, two.ready.loadMs, two.ready.coldStartMs, twoThreads, 'wasm', 'two child processes, 2 threads and 1, answering in turn; load, cold start and peak RSS are the 2-thread process\'s', {
    peak_rss_mb: Math.round(peakRss * 10) / 10,
    paired: pairedFigures('the core on 1 WASM thread in a second process, answering right before or after', twoThreads, oneThread),
  });
} finally {
  for (const { child } of answerers) child.kill('SIGTERM');
}
