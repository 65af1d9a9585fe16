// readLogTail: the last lines of a (possibly large) log file.
import { open } from 'node:fs/promises';

/**
 * The last `lines` complete lines of the file ([] when it does not exist); reads at most 1 MiB.
 * With `since` (a byte offset), only lines written after it; a file now shorter was rotated and counts whole.
 */
export async function readLogTail(file: string, lines: number, since = 0): Promise<string[]> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return [];
  }
  try {
    const { size } = await handle.stat();
    const start = Math.max(since <= size ? since : 0, size - (1 << 20));
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    const all = buffer.toString('utf8').split('\n').filter((line) => line.trim() !== '');
    return lines <= 0 ? [] : all.slice(-lines);
  } finally {
    await handle.close();
  }
}
