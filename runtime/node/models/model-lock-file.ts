// ModelLockFile: `.nexus-pull.json` in an installed model's directory, the sizes and hashes seen at pull time.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../write-file-atomically.js';

/** One pulled file, as it was when it was verified and moved into place. */
export interface LockedFile {
  size: number;
  sha256: string;
  /** Where it came from (mirror URL). */
  url: string;
  /** True when the registry had no SHA-256 for it: this hash was trusted on first use. */
  trustedOnFirstUse: boolean;
  pulledAt: string;
}

export interface ModelLock {
  version: 1;
  id: string;
  revision: string;
  files: Record<string, LockedFile>;
}

/** The lock file's name inside `<modelsDirectory>/<id>/`. */
export const lockFileName = '.nexus-pull.json';

/** The model directory's lock, or an empty one when it has none (or an unreadable one). */
export async function readModelLock(directory: string, id: string, revision: string): Promise<ModelLock> {
  try {
    const lock = JSON.parse(await readFile(join(directory, lockFileName), 'utf8')) as ModelLock;
    if (lock.version === 1 && lock.files && typeof lock.files === 'object') return lock;
  } catch {
    // Missing or damaged: start a new one; the files themselves are re-verified against the registry.
  }
  return { version: 1, id, revision, files: {} };
}

/** Writes the lock atomically. */
export async function writeModelLock(directory: string, lock: ModelLock): Promise<void> {
  const path = join(directory, lockFileName);
  await writeFileAtomically(path, `${JSON.stringify(lock, null, 2)}\n`);
}
