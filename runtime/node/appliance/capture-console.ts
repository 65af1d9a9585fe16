// captureConsole: routes stray console output (libraries print plain text) into the JSON log, keeping stdout one object a line.
import { format } from 'node:util';
import type { Logger, LogLevel } from '../../core/platform/logger.js';

const methods: Array<[keyof Console & ('log' | 'info' | 'warn' | 'error' | 'debug'), LogLevel]> = [
  ['log', 'info'],
  ['info', 'info'],
  ['warn', 'warn'],
  ['error', 'error'],
  ['debug', 'debug'],
];

/**
 * Replaces console.log/info/warn/error/debug with `console` events on `logger` (@hono/node-server
 * prints "The user aborted a request." with console.info). Returns the function that restores them.
 */
export function captureConsole(logger: Logger): () => void {
  const saved = methods.map(([method]) => [method, console[method]] as const);
  for (const [method, level] of methods) console[method] = (...args: unknown[]) => logger.log(level, 'console', { message: format(...args) });
  return () => {
    for (const [method, original] of saved) console[method] = original;
  };
}
