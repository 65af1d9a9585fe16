// ResourceGovernor: CPU and memory of this process against the serving/idle budgets; refuses or throttles work.
import { NexusError } from '../../core/nexus-error.js';

/** One mode's budget, as in the config. */
export interface ModeBudget {
  cpuPercent: number;
  memoryMb: number;
}

/** Budgets while generating (serving) and otherwise (idle). */
export interface Budgets {
  serving: ModeBudget;
  idle: ModeBudget;
}

/** Counts of what the governor did, for metrics. */
export interface GovernorCounters {
  refusals: number;
  throttles: number;
}

/**
 * Measures CPU% from `process.cpuUsage()` deltas between calls and RSS from `process.memoryUsage`.
 * Over the memory budget → new work is refused (OVER_BUDGET); over the CPU budget → the caller
 * sleeps a little between requests. Both are counted.
 */
export class ResourceGovernor {
  budgets: Budgets;
  readonly counters: GovernorCounters = { refusals: 0, throttles: 0 };
  cpuPercent = 0;
  private lastCpu = process.cpuUsage();
  private lastAt = performance.now();
  private readonly readRss: () => number;

  constructor(budgets: Budgets, options: { readRss?: () => number } = {}) {
    this.budgets = budgets;
    this.readRss = options.readRss ?? (() => process.memoryUsage.rss());
  }

  /** Updates the CPU% since the last call (user + system time over wall time, 100 = one core). */
  measureCpu(): number {
    const now = performance.now();
    const elapsedMs = now - this.lastAt;
    if (elapsedMs < 50) return this.cpuPercent;
    const usage = process.cpuUsage(this.lastCpu);
    this.cpuPercent = ((usage.user + usage.system) / 1000 / elapsedMs) * 100;
    this.lastCpu = process.cpuUsage();
    this.lastAt = now;
    return this.cpuPercent;
  }

  rssMb(): number {
    return this.readRss() / (1024 * 1024);
  }

  /** Throws OVER_BUDGET (and counts it) when RSS is over the serving memory budget. */
  admit(): void {
    const used = this.rssMb();
    const budget = this.budgets.serving.memoryMb;
    if (used > budget) {
      this.counters.refusals++;
      throw new NexusError('OVER_BUDGET', { resource: 'memory', used: `${Math.round(used)} MB`, budget: `${budget} MB` });
    }
  }

  /** Sleeps briefly when the CPU is over the serving budget, so other processes get a turn. */
  async throttle(): Promise<void> {
    if (this.measureCpu() <= this.budgets.serving.cpuPercent) return;
    this.counters.throttles++;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
