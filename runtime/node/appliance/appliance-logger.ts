// ApplianceLogger: structured JSON log lines (one object a line) to a sink, kept in a ring buffer for the admin API.
import type { Logger, LogLevel } from '../../core/platform/logger.js';

const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One log record as written: time, level, event, then the event's own fields. */
export type LogRecord = { time: string; level: LogLevel; event: string } & Record<string, unknown>;

/** Options of ApplianceLogger. */
export interface ApplianceLoggerOptions {
  level?: LogLevel;
  /** Where each JSON line goes (default: process.stdout). */
  write?: (line: string) => void;
  /** Lines kept in memory for `GET /api/logs` (default 1000). */
  capacity?: number;
}

/** A Logger that writes JSON lines, keeps the last ones, and lets the admin API follow new ones. */
export class ApplianceLogger implements Logger {
  level: LogLevel;
  readonly capacity: number;
  private readonly write: (line: string) => void;
  private readonly ring: string[] = [];
  private readonly followers = new Set<(line: string) => void>();

  constructor(options: ApplianceLoggerOptions = {}) {
    this.level = options.level ?? 'info';
    this.capacity = options.capacity ?? 1000;
    this.write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
  }

  log(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
    if (levelRank[level] < levelRank[this.level]) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields });
    this.ring.push(line);
    if (this.ring.length > this.capacity) this.ring.splice(0, this.ring.length - this.capacity);
    this.write(line);
    for (const follower of this.followers) follower(line);
  }

  /** The last `n` lines kept, oldest first. */
  tail(n: number): string[] {
    return n <= 0 ? [] : this.ring.slice(-n);
  }

  /** Calls `listener` with every new line; returns the unsubscribe function. */
  follow(listener: (line: string) => void): () => void {
    this.followers.add(listener);
    return () => this.followers.delete(listener);
  }
}
