// pullModel: downloads a registry model's files for one dtype, resumable, SHA-256 verified, moved into place atomically.
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { NexusError } from '../../core/nexus-error.js';
import type { ModelDtype } from '../../core/model/model-dtype.js';
import { filesForDtype, type RegistryEntry, type RegistryFile } from '../../core/registry/model-registry.js';
import { readRegistry } from '../resolve-model-directory.js';
import { downloadFile } from './download-file.js';
import { findRegistryEntry } from './find-registry-entry.js';
import { defaultModelMirror, modelFileUrl } from '../../core/registry/model-file-url.js';
import { readModelLock, writeModelLock, type LockedFile } from './model-lock-file.js';
import { sha256File } from './sha256-file.js';
import { TransferRate } from './transfer-rate.js';

/** One progress report; sizes are undefined where neither the registry nor the server gave them. */
export interface PullProgress {
  file: string;
  receivedBytes: number;
  totalBytes: number | undefined;
  bytesPerSecond: number;
  etaSeconds: number | undefined;
  overallReceived: number;
  overallTotal: number | undefined;
}

export interface PullModelOptions {
  id: string;
  dtype: ModelDtype;
  /** Where pulled models live: `<modelsDirectory>/<id>/`, partial files under `<modelsDirectory>/.partial/<id>/`. */
  modelsDirectory: string;
  /** Base URL of the hub or a mirror (default https://huggingface.co); the CLI reads NEXUS_MODEL_MIRROR. */
  mirror?: string;
  /** Registry entries; read from `<modelsDirectory>/registry.json` (or the built-in one) when absent. */
  registry?: readonly RegistryEntry[];
  fetch?: typeof fetch;
  onProgress?: (progress: PullProgress) => void;
  /** Aborting keeps the partial file; the next pull resumes it. */
  signal?: AbortSignal;
  now?: () => number;
}

export interface PulledFile {
  path: string;
  size: number;
  sha256: string;
  /** Already installed and recorded in the lock file: not downloaded again. */
  skipped: boolean;
  /** Bytes of a partial file the download continued from. */
  resumedFrom: number;
  /** Bytes received over the network for this file in this pull. */
  transferredBytes: number;
  /** The registry has no SHA-256 for it: the hash seen now was pinned in the lock file. */
  trustedOnFirstUse: boolean;
  /** Its SHA-256 was compared with the registry's or the lock file's (false when this pull only recorded it). */
  sha256Verified: boolean;
  /** An installed copy was there but did not match its recorded size and SHA-256: it was downloaded again. */
  repaired: boolean;
}

export interface PullModelResult {
  id: string;
  dtype: ModelDtype;
  directory: string;
  files: PulledFile[];
  transferredBytes: number;
}

/** Removes this model's partial directories once empty; partials of another dtype's pull stay. */
async function removeEmptyDirectories(partialDirectory: string, files: RegistryFile[]): Promise<void> {
  const directories = new Set(files.map((file) => dirname(join(partialDirectory, file.path))));
  const deepestFirst = [...directories].sort((a, b) => b.length - a.length);
  for (const directory of [...deepestFirst, partialDirectory, dirname(partialDirectory)]) {
    await rmdir(directory).catch(() => undefined); // not empty, or already gone: leave it
  }
}

/**
 * Weights first (the big download fails early, before anything else is installed), config.json last:
 * a directory with config.json looks loadable, so it should arrive after everything else.
 */
function inInstallOrder(entry: RegistryEntry, dtype: ModelDtype): RegistryFile[] {
  const files = filesForDtype(entry, dtype);
  const common = new Set(entry.files.common ?? []);
  const rank = (file: RegistryFile) => (file.path === 'config.json' ? 2 : common.has(file) ? 1 : 0);
  return [...files].sort((a, b) => rank(a) - rank(b));
}

/**
 * Whether the installed file still holds what the lock recorded: size first (cheap), then the whole
 * file hashed against the registry's SHA-256 (or the lock's, without one). A damaged copy of the
 * same size is caught here and downloaded again instead of being reported as installed.
 */
async function installedIntact(finalPath: string, file: RegistryFile, locked: LockedFile): Promise<boolean> {
  if (!existsSync(finalPath)) return false;
  if (file.sha256 && locked.sha256 !== file.sha256) return false;
  if ((await stat(finalPath)).size !== locked.size) return false;
  return (await sha256File(finalPath)) === (file.sha256 ?? locked.sha256);
}

/**
 * Pulls `id` for `dtype` from `${mirror}/${repo}/resolve/${revision}/${path}`. Each file is checked
 * against the registry's SHA-256 (or, without one, the lock file's from an earlier pull) before it is
 * renamed into `<modelsDirectory>/<id>/`; a mismatch deletes the partial file and throws
 * CHECKSUM_MISMATCH; HTTP and network failures throw DOWNLOAD_FAILED and keep the partial file.
 */
export async function pullModel(options: PullModelOptions): Promise<PullModelResult> {
  const registry = options.registry ?? (await readRegistry(options.modelsDirectory));
  const entry = findRegistryEntry(registry, options.id);
  if (!entry.repo) {
    throw new NexusError('INVALID_OPTION', { key: 'model', reason: `${entry.id} has no repository to pull from (${entry.source})` });
  }
  const files = inInstallOrder(entry, options.dtype);
  const directory = join(options.modelsDirectory, entry.id);
  const partialDirectory = join(options.modelsDirectory, '.partial', entry.id);
  const mirror = options.mirror ?? defaultModelMirror;
  const fetchImpl = options.fetch ?? fetch;
  const lock = await readModelLock(directory, entry.id, entry.revision);
  const overallTotal = files.every((file) => file.size !== undefined) ? files.reduce((sum, file) => sum + (file.size ?? 0), 0) : undefined;
  const rate = new TransferRate(options.now);
  const pulled: PulledFile[] = [];
  let overallDone = 0;

  // A failed pull keeps its partial files for the next one to resume, but not empty directories.
  try {
    for (const file of files) {
      const finalPath = join(directory, file.path);
      const locked = lock.files[file.path];
      if (locked && (await installedIntact(finalPath, file, locked))) {
        overallDone += locked.size;
        pulled.push({ path: file.path, size: locked.size, sha256: locked.sha256, skipped: true, resumedFrom: 0, transferredBytes: 0, trustedOnFirstUse: locked.trustedOnFirstUse, sha256Verified: true, repaired: false });
        continue;
      }
      // Installed, recorded, and the registry still names the recorded hash: the bytes on disk went bad.
      const repaired = locked !== undefined && existsSync(finalPath) && (!file.sha256 || file.sha256 === locked.sha256);
      const url = modelFileUrl(mirror, entry.repo, entry.revision, file.path);
      const partialPath = join(partialDirectory, `${file.path}.part`);
      let lastReceived: number | undefined;
      const outcome = await downloadFile({
        url,
        file: file.path,
        partialPath,
        expectedSize: file.size,
        fetch: fetchImpl,
        signal: options.signal,
        onBytes: (receivedBytes, totalBytes) => {
          if (lastReceived !== undefined && receivedBytes > lastReceived) rate.add(receivedBytes - lastReceived);
          lastReceived = receivedBytes;
          const remaining = overallTotal === undefined ? undefined : overallTotal - overallDone - receivedBytes;
          options.onProgress?.({
            file: file.path,
            receivedBytes,
            totalBytes,
            bytesPerSecond: rate.bytesPerSecond,
            etaSeconds: rate.etaSeconds(remaining ?? (totalBytes === undefined ? undefined : totalBytes - receivedBytes)),
            overallReceived: overallDone + receivedBytes,
            overallTotal,
          });
        },
      });

      if (!existsSync(partialPath)) {
        throw new NexusError('DOWNLOAD_FAILED', { file: file.path, url, reason: `the server answered ${outcome.status} and there is no partial file to verify` });
      }
      const size = (await stat(partialPath)).size;
      const actual = await sha256File(partialPath);
      const expected = file.sha256 ?? locked?.sha256;
      if ((expected && actual !== expected) || (file.size !== undefined && size !== file.size)) {
        await rm(partialPath, { force: true });
        throw new NexusError('CHECKSUM_MISMATCH', { file: file.path, expected: expected ?? `${file.size} bytes`, actual: expected ? actual : `${size} bytes`, url });
      }
      await mkdir(dirname(finalPath), { recursive: true });
      await rename(partialPath, finalPath);
      const trustedOnFirstUse = !file.sha256;
      lock.files[file.path] = { size, sha256: actual, url, trustedOnFirstUse, pulledAt: new Date().toISOString() };
      await writeModelLock(directory, lock);
      overallDone += size;
      pulled.push({ path: file.path, size, sha256: actual, skipped: false, resumedFrom: outcome.resumedFrom, transferredBytes: outcome.transferredBytes, trustedOnFirstUse, sha256Verified: expected !== undefined, repaired });
    }
  } finally {
    await removeEmptyDirectories(partialDirectory, files);
  }
  return { id: entry.id, dtype: options.dtype, directory, files: pulled, transferredBytes: pulled.reduce((sum, file) => sum + file.transferredBytes, 0) };
}
