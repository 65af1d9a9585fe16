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
  /** Milliseconds of pauses inserted between decode steps. */
  throttledMs: number;
  /** Idle samples found over the idle budget (memory or CPU). */
  idleOverruns: number;
}

/** What an idle check found over the idle budget; empty when within it. */
export interface IdleOverrun {
  reasons: string[];
}

/** Longest single pause: a throttled answer keeps streaming, just slower. */
const MAX_PAUSE_MS = 250;

/**
 * Measures CPU% from `process.cpuUsage()` deltas between calls and RSS from `process.memoryUsage`.
 * Over the serving memory budget → new work is refused (OVER_BUDGET); over the serving CPU budget
 * → pauses between decode steps long enough to bring the duty cycle back under it; over the idle
 * budget while idle → reported (health degrades, the caller may shed). All counted.
 */
export class ResourceGovernor {
  budgets: Budgets;
  readonly counters: GovernorCounters = { refusals: 0, throttles: 0, throttledMs: 0, idleOverruns: 0 };
  /** The last idle check's findings, for health; null when within the idle budget. */
  idleOverrun: IdleOverrun | null = null;
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

  /**
   * The pause that brings CPU use back under `budget`: busy for a share `cpu/100` of the last
   * window, the process must idle `window × (cpu/budget − 1)` for the average to meet the budget.
   */
  static pauseFor(cpuPercent: number, budgetPercent: number, windowMs: number): number {
    if (cpuPercent <= budgetPercent) return 0;
    return Math.min(MAX_PAUSE_MS, Math.ceil(windowMs * (cpuPercent / budgetPercent - 1)));
  }

  /**
   * Called between decode steps (and before a request): pauses when the CPU is over the serving
   * budget. Cheap when within it: the CPU share is re-measured at most every 50 ms.
   */
  async throttle(): Promise<void> {
    const windowStart = this.lastAt;
    const cpu = this.measureCpu();
    const pause = ResourceGovernor.pauseFor(cpu, this.budgets.serving.cpuPercent, Math.max(50, this.lastAt - windowStart));
    if (pause === 0 || this.lastAt === windowStart) return;
    this.counters.throttles++;
    this.counters.throttledMs += pause;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }

  /** Compares the process with the idle budget (call while no request runs); remembers the finding. */
  checkIdle(): IdleOverrun | null {
    const { memoryMb, cpuPercent } = this.budgets.idle;
    const reasons: string[] = [];
    const rss = this.rssMb();
    if (rss > memoryMb) reasons.push(`idle memory ${Math.round(rss)} MB is over its budget of ${memoryMb} MB`);
    const cpu = this.measureCpu();
    if (cpu > cpuPercent) reasons.push(`idle CPU ${Math.round(cpu)} % is over its budget of ${cpuPercent} %`);
    if (reasons.length) this.counters.idleOverruns++;
    this.idleOverrun = reasons.length ? { reasons } : null;
    return this.idleOverrun;
  }
}
