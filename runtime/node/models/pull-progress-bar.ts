// PullProgressBar: the terminal progress bar of `nexusctl models pull` (cli-progress), with speed and ETA.
import { createRequire } from 'node:module';
import type { PullProgress } from './pull-model.js';
import { formatBytes, formatDuration } from './format-bytes.js';

/** The part of cli-progress used here (the package ships no types). */
interface SingleBar {
  start(total: number, startValue: number, payload?: Record<string, string>): void;
  update(value: number, payload?: Record<string, string>): void;
  setTotal(total: number): void;
  stop(): void;
}
interface CliProgress {
  SingleBar: new (options: Record<string, unknown>, preset?: Record<string, unknown>) => SingleBar;
  Presets: Record<'shades_classic', Record<string, unknown>>;
}

const cliProgress = createRequire(import.meta.url)('cli-progress') as CliProgress;

export interface PullProgressBarOptions {
  /** Where to draw (default process.stderr). */
  stream?: NodeJS.WritableStream;
  /** Also print (every `notTTYSchedule` ms) when the stream is not a terminal, e.g. in logs. */
  noTTYOutput?: boolean;
  notTTYSchedule?: number;
}

export interface PullProgressBar {
  /** Pass as pullModel's `onProgress`. */
  onProgress(progress: PullProgress): void;
  /** Draws the final state and releases the terminal line. */
  stop(): void;
}

/** A one-line bar over the whole pull: percent, bytes, speed, ETA and the file being fetched. */
export function createPullProgressBar(options: PullProgressBarOptions = {}): PullProgressBar {
  const bar = new cliProgress.SingleBar(
    {
      format: '{bar} {percentage}% | {received} / {size} | {speed} | ETA {timeLeft} | {file}',
      hideCursor: true,
      stream: options.stream ?? process.stderr,
      noTTYOutput: options.noTTYOutput ?? false,
      notTTYSchedule: options.notTTYSchedule ?? 2000,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let total = 0;
  return {
    onProgress(progress) {
      // Without sizes in the registry, the bar tracks the current file instead of the whole pull.
      const nextTotal = progress.overallTotal ?? progress.totalBytes ?? 0;
      const value = progress.overallTotal === undefined ? progress.receivedBytes : progress.overallReceived;
      const payload = {
        received: formatBytes(value),
        size: nextTotal > 0 ? formatBytes(nextTotal) : '?',
        speed: `${formatBytes(progress.bytesPerSecond)}/s`,
        timeLeft: formatDuration(progress.etaSeconds),
        file: progress.file,
      };
      if (!started) {
        bar.start(nextTotal, value, payload);
        started = true;
      } else if (nextTotal !== total) {
        bar.setTotal(nextTotal);
      }
      total = nextTotal;
      bar.update(value, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
