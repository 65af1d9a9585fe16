// finalSaveError: what the appliance logged about its final checkpoint save on the way down, read from its log file.
import { open } from 'node:fs/promises';
import { fileSize } from './file-size.js';

/**
 * The error of the last `checkpoint.save_failed` logged after `offset` (a stop's final save), or
 * undefined. `stop` signals a process that is not its child, so the log is where the outcome is.
 * A log rotated meanwhile (smaller than `offset`) is read from its start.
 */
export async function finalSaveError(logFile: string, offset: number): Promise<string | undefined> {
  const size = await fileSize(logFile);
  const from = size < offset ? 0 : offset;
  if (size <= from) return undefined;
  const file = await open(logFile, 'r').catch(() => undefined);
  if (!file) return undefined;
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(size - from), 0, size - from, from);
    let error: string | undefined;
    for (const line of buffer.subarray(0, bytesRead).toString('utf8').split('\n')) {
      if (!line.includes('"checkpoint.save_failed"')) continue;
      try {
        const entry = JSON.parse(line) as { event?: string; error?: unknown };
        if (entry.event === 'checkpoint.save_failed') error = String(entry.error ?? 'unknown error');
      } catch {
        // A line cut by a crash: not the outcome.
      }
    }
    return error;
  } finally {
    await file.close();
  }
}
