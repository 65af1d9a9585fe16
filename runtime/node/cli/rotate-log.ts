// rotateLogFile: size-based rotation of the background log when the appliance starts.
import { existsSync, statSync } from 'node:fs';
import { shiftLogFiles } from '../appliance/rotating-log-file.js';

/** When `file` is at least `maxBytes`, shifts file → file.1 → … → file.<keep> (the oldest dropped). */
export async function rotateLogFile(file: string, maxBytes: number, keep: number): Promise<boolean> {
  if (!existsSync(file) || statSync(file).size < maxBytes) return false;
  shiftLogFiles(file, keep);
  return true;
}
