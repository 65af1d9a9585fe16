// formatLogLine: one JSON log object as a readable, coloured line (non-JSON lines pass through).
import pc from 'picocolors';
import { fieldText } from './field-text.js';

const levelColour: Record<string, (text: string) => string> = { debug: pc.dim, info: pc.green, warn: pc.yellow, error: pc.red, fatal: pc.red };
const known = new Set(['time', 'ts', 'timestamp', 'level', 'msg', 'message', 'event']);

/** `12:00:01.234 INFO  checkpoint.saved id=… bytes=…`; the line itself when it is not a JSON object. */
export function formatLogLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return line;
    entry = parsed as Record<string, unknown>;
  } catch {
    return line;
  }
  const rawTime = entry.time ?? entry.ts ?? entry.timestamp;
  const date = typeof rawTime === 'number' || typeof rawTime === 'string' ? new Date(rawTime) : undefined;
  const time = date && !Number.isNaN(date.getTime()) ? date.toISOString().slice(11, 23) : '';
  const level = String(entry.level ?? 'info').toLowerCase();
  const message = String(entry.msg ?? entry.message ?? entry.event ?? '');
  const fields = Object.entries(entry)
    .filter(([key]) => !known.has(key))
    .map(([key, value]) => `${pc.dim(`${key}=`)}${fieldText(value)}`);
  return [pc.dim(time), (levelColour[level] ?? pc.white)(level.toUpperCase().padEnd(5)), pc.bold(message), ...fields].filter(Boolean).join(' ');
}
