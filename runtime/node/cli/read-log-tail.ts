// readLogTail: the last lines of a (possibly large) log file.
import { open } from 'node:fs/promises';

/** The last `lines` complete lines of the file ([] when it does not exist); reads at most 1 MiB. */
export async function readLogTail(file: string, lines: number): Promise<string[]> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return [];
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 1 << 20);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const all = buffer.toString('utf8').split('\n').filter((line) => line.trim() !== '');
    return lines <= 0 ? [] : all.slice(-lines);
  } finally {
    await handle.close();
  }
}
