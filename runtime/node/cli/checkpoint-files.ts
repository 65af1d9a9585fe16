// Reads checkpoints straight from <dataDir>/checkpoints (no daemon needed): by id, by path, or all.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, sep } from 'node:path';
import { FsCheckpointStore } from '../checkpoint-store-fs.js';
import { CliError } from './cli-error.js';
import { exitCodes } from './exit-codes.js';

/** A checkpoint's display name and bytes. */
export interface CheckpointBlob {
  name: string;
  bytes: Uint8Array;
}

/** The blob named by `idOrFile` (a store id, else a file path), or every stored one newest first. */
export async function readCheckpointBlobs(checkpointsDir: string, idOrFile?: string): Promise<CheckpointBlob[]> {
  const store = new FsCheckpointStore(checkpointsDir);
  if (idOrFile === undefined) {
    const listed = await store.list();
    return Promise.all(listed.map(async ({ id }) => ({ name: id, bytes: await store.read(id) })));
  }
  const ids = (await store.list()).map(({ id }) => id);
  if (ids.includes(idOrFile)) return [{ name: idOrFile, bytes: await store.read(idOrFile) }];
  if (existsSync(idOrFile)) return [{ name: basename(idOrFile), bytes: new Uint8Array(await readFile(idOrFile)) }];
  // Store ids have no directory part: a name with one was meant as a file.
  const meantAsFile = idOrFile.includes('/') || idOrFile.includes(sep);
  const message = meantAsFile ? `the file ${idOrFile} does not exist` : `no checkpoint "${idOrFile}": no such id in ${checkpointsDir}, and no such file`;
  throw new CliError(message, exitCodes.notFound);
}
