// MemoryMonitor: samples RSS and flags a leak when the least-squares slope (MB/hour) passes a threshold.

/** One RSS sample: when (ms) and how much (MB). */
export interface RssSample {
  at: number;
  mb: number;
}

/** What the leak detector concludes from the window of samples. */
export interface LeakReport {
  slopeMbPerHour: number;
  leaking: boolean;
  samples: number;
}

/** The least-squares slope of y over x; 0 with fewer than two distinct x. */
export function leastSquaresSlope(points: readonly RssSample[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((sum, p) => sum + p.at, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.mb, 0) / n;
  let numerator = 0;
  let denominator = 0;
  for (const p of points) {
    numerator += (p.at - meanX) * (p.mb - meanY);
    denominator += (p.at - meanX) ** 2;
  }
  return denominator === 0 ? 0 : numerator / denominator;
}

/** Keeps a window of RSS samples (default 120) and judges the trend. */
export class MemoryMonitor {
  thresholdMbPerHour: number;
  private readonly window: number;
  private readonly samples: RssSample[] = [];
  private readonly readRss: () => number;

  constructor(options: { thresholdMbPerHour: number; window?: number; readRss?: () => number }) {
    this.thresholdMbPerHour = options.thresholdMbPerHour;
    this.window = options.window ?? 120;
    this.readRss = options.readRss ?? (() => process.memoryUsage.rss());
  }

  /** Takes one sample now (or records a given one) and returns the RSS in MB. */
  sample(sample: RssSample = { at: Date.now(), mb: this.readRss() / (1024 * 1024) }): number {
    this.samples.push(sample);
    if (this.samples.length > this.window) this.samples.splice(0, this.samples.length - this.window);
    return sample.mb;
  }

  /** The slope in MB/hour over the window; a leak needs at least 5 samples to be called. */
  report(): LeakReport {
    const slopeMbPerMs = leastSquaresSlope(this.samples);
    const slopeMbPerHour = slopeMbPerMs * 3_600_000;
    return { slopeMbPerHour, leaking: this.samples.length >= 5 && slopeMbPerHour > this.thresholdMbPerHour, samples: this.samples.length };
  }
}
