// Logger: structured events out of the core; the platform decides where they go.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One structured event: a short stable name and flat fields (never secrets). */
export interface Logger {
  log(level: LogLevel, event: string, fields?: Record<string, unknown>): void;
}

/** A logger that drops everything (the default when none is given). */
export const silentLogger: Logger = { log: () => {} };
