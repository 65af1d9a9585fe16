// rotateLogFile: size-based rotation of the background log when the appliance starts.
import { existsSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';

/** When `file` is at least `maxBytes`, shifts file → file.1 → … → file.<keep> (the oldest dropped). */
export async function rotateLogFile(file: string, maxBytes: number, keep: number): Promise<boolean> {
  if (!existsSync(file) || statSync(file).size < maxBytes) return false;
  await rm(`${file}.${keep}`, { force: true });
  for (let index = keep - 1; index >= 1; index--) {
    if (existsSync(`${file}.${index}`)) await rename(`${file}.${index}`, `${file}.${index + 1}`);
  }
  await rename(file, `${file}.1`);
  return true;
}
