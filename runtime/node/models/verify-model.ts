// verifyModel: re-hashes an installed model's files against the registry (or the pull lock's pinned hashes).
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RegistryEntry, RegistryFile } from '../../core/registry/model-registry.js';
import { modelDtypes, type ModelDtype } from '../../core/model/model-dtype.js';
import { readRegistry } from '../resolve-model-directory.js';
import { findRegistryEntry } from './find-registry-entry.js';
import { installedModelDirectory } from './installed-model-directory.js';
import { readModelLock } from './model-lock-file.js';
import { sha256File } from './sha256-file.js';

/** One file's verdict; `reason` says why it is not ok (missing, size, hash, nothing to compare with). */
export interface FileVerification {
  path: string;
  ok: boolean;
  expected: string | undefined;
  actual: string | undefined;
  reason: string | undefined;
}

export interface ModelVerification {
  id: string;
  directory: string;
  /** The dtypes checked: the one asked for, or every dtype with a weight file present. */
  dtypes: ModelDtype[];
  ok: boolean;
  files: FileVerification[];
}

export interface VerifyModelOptions {
  id: string;
  modelsDirectory: string;
  dtype?: ModelDtype;
  registry?: readonly RegistryEntry[];
}

async function verifyFile(directory: string, file: RegistryFile, lockedSha256: string | undefined): Promise<FileVerification> {
  const path = join(directory, file.path);
  const expected = file.sha256 ?? lockedSha256;
  if (!existsSync(path)) return { path: file.path, ok: false, expected, actual: undefined, reason: 'missing' };
  const size = (await stat(path)).size;
  const actual = await sha256File(path);
  if (file.size !== undefined && size !== file.size) return { path: file.path, ok: false, expected, actual, reason: `size ${size} bytes, the registry says ${file.size}` };
  if (!expected) return { path: file.path, ok: false, expected, actual, reason: 'no SHA-256 in the registry or the pull lock to compare with' };
  if (actual !== expected) return { path: file.path, ok: false, expected, actual, reason: 'SHA-256 mismatch' };
  return { path: file.path, ok: true, expected, actual, reason: undefined };
}

/** Hashes every file of the model's installed dtypes (or of `dtype`) and compares with the expected hashes. */
export async function verifyModel(options: VerifyModelOptions): Promise<ModelVerification> {
  const entry = findRegistryEntry(options.registry ?? (await readRegistry(options.modelsDirectory)), options.id);
  const directory = installedModelDirectory(entry, options.modelsDirectory);
  const lock = await readModelLock(directory, entry.id, entry.revision);
  const dtypes = options.dtype
    ? [options.dtype]
    : modelDtypes.filter((dtype) => (entry.files[dtype] ?? []).some((file) => existsSync(join(directory, file.path))));
  const files = [...(entry.files.common ?? []), ...dtypes.flatMap((dtype) => entry.files[dtype] ?? [])];
  const results: FileVerification[] = [];
  for (const file of files) results.push(await verifyFile(directory, file, lock.files[file.path]?.sha256));
  return { id: entry.id, directory, dtypes, ok: results.length > 0 && results.every((result) => result.ok), files: results };
}
