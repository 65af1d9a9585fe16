// writeFileAtomically: a file that holds either what it held before or all of the new bytes, never part of them.
import { rename, rm, writeFile } from 'node:fs/promises';

/** Writes a temporary file beside `path`, then renames it over `path`; on failure the temporary file is removed. */
export async function writeFileAtomically(path: string, data: string | Uint8Array, options: { mode?: number } = {}): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temp, data, options);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
