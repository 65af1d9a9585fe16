// MemoryMonitor: samples RSS and flags a leak when memory keeps growing (a robust slope, MB/hour) over long enough.

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

/**
 * The Theil–Sen slope of y over x: the median of the slopes between every two points. Growth that
 * levels off (start-up: JIT, caches, allocator arenas) or one step (a model loaded) moves fewer than
 * half of the pairs and leaves it near 0, where a least-squares fit over the same minutes read
 * hundreds of MB/hour; memory that keeps growing moves every pair.
 */
export function medianPairwiseSlope(points: readonly RssSample[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const dx = points[j].at - points[i].at;
      if (dx !== 0) slopes.push((points[j].mb - points[i].mb) / dx);
    }
  }
  if (slopes.length === 0) return 0;
  slopes.sort((a, b) => a - b);
  const middle = slopes.length >> 1;
  return slopes.length % 2 === 1 ? slopes[middle] : (slopes[middle - 1] + slopes[middle]) / 2;
}

/** A leak is called only over samples spanning at least this long: growth in the first minutes is warm-up. */
export const MIN_LEAK_SPAN_MS = 30 * 60_000;

/** Keeps a window of RSS samples (default 120) and judges the trend. */
export class MemoryMonitor {
  thresholdMbPerHour: number;
  private readonly window: number;
  private readonly minSpanMs: number;
  private readonly samples: RssSample[] = [];
  private readonly readRss: () => number;
  /** The last report, until a sample or the threshold changes: /health and /api/status ask for it often. */
  private cached: { threshold: number; report: LeakReport } | undefined;

  constructor(options: { thresholdMbPerHour: number; window?: number; minSpanMs?: number; readRss?: () => number }) {
    this.thresholdMbPerHour = options.thresholdMbPerHour;
    this.window = options.window ?? 120;
    this.minSpanMs = options.minSpanMs ?? MIN_LEAK_SPAN_MS;
    this.readRss = options.readRss ?? (() => process.memoryUsage.rss());
  }

  /** Takes one sample now (or records a given one) and returns the RSS in MB. */
  sample(sample: RssSample = { at: Date.now(), mb: this.readRss() / (1024 * 1024) }): number {
    this.samples.push(sample);
    this.cached = undefined;
    if (this.samples.length > this.window) this.samples.splice(0, this.samples.length - this.window);
    return sample.mb;
  }

  /** The robust slope in MB/hour over the window; a leak needs 5 samples spanning minSpanMs, growing in the later half too. */
  report(): LeakReport {
    if (this.cached?.threshold === this.thresholdMbPerHour) return this.cached.report;
    const slopeMbPerHour = medianPairwiseSlope(this.samples) * 3_600_000;
    const span = this.samples.length > 0 ? this.samples[this.samples.length - 1].at - this.samples[0].at : 0;
    // The later half must grow too: one step in the middle of the window moves half of all pairs.
    const stillGrowing = () => medianPairwiseSlope(this.samples.slice(this.samples.length >> 1)) * 3_600_000 > this.thresholdMbPerHour;
    const leaking = this.samples.length >= 5 && span >= this.minSpanMs && slopeMbPerHour > this.thresholdMbPerHour && stillGrowing();
    const report = { slopeMbPerHour, leaking, samples: this.samples.length };
    this.cached = { threshold: this.thresholdMbPerHour, report };
    return report;
  }
}
