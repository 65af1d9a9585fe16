// setTlsInConfigFile: `tls init`'s certificate put into the config file, the rest of the file as it was.
import { readFile, stat } from 'node:fs/promises';
import { writeFileAtomically } from '../write-file-atomically.js';

export type TlsConfigEdit = { changed: boolean } | { error: string };

/**
 * Sets `tls.cert` and `tls.key` in the JSON config `file` (made if missing, owner-only), keeping
 * its other settings and its mode. A file that is not a JSON object is left alone: `error` says
 * why, for the operator to set them by hand.
 */
export async function setTlsInConfigFile(file: string, tls: { cert: string; key: string }): Promise<TlsConfigEdit> {
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return { error: `it could not be read (${(error as Error).message})` };
  }
  let settings: Record<string, unknown> = {};
  if (text !== undefined && text.trim() !== '') {
    try {
      settings = JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
    } catch (error) {
      return { error: `it is not valid JSON (${(error as Error).message})` };
    }
    if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) return { error: 'it is not a JSON object' };
  }
  const current = settings.tls;
  const currentTls = typeof current === 'object' && current !== null && !Array.isArray(current) ? (current as Record<string, unknown>) : {};
  if (currentTls.cert === tls.cert && currentTls.key === tls.key) return { changed: false };
  settings.tls = { ...currentTls, cert: tls.cert, key: tls.key };
  const mode = text === undefined ? 0o600 : (await stat(file)).mode & 0o777;
  try {
    await writeFileAtomically(file, `${JSON.stringify(settings, null, 2)}\n`, { mode });
  } catch (error) {
    return { error: `it could not be written (${(error as Error).message})` };
  }
  return { changed: true };
}
