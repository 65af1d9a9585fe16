// FsCheckpointStore: checkpoint blobs as files in one directory, written atomically and rotated.
import * as nodeFs from 'node:fs/promises';
import { join } from 'node:path';
import { NexusError } from '../core/nexus-error.js';
import type { CheckpointStore, StoredCheckpoint } from '../core/platform/checkpoint-store.js';
import { systemClock, type Clock } from '../core/platform/clock.js';
import { silentLogger, type Logger } from '../core/platform/logger.js';

/** The parts of node:fs/promises the store uses; tests pass a wrapper to simulate a full disk. */
export type CheckpointFs = Pick<typeof nodeFs, 'mkdir' | 'open' | 'readdir' | 'readFile' | 'rename' | 'stat' | 'unlink'>;

/** Options of FsCheckpointStore. */
export interface FsCheckpointStoreOptions {
  /** How many checkpoints to keep; older ones are deleted after each write (default 5). */
  keep?: number;
  /** Source of the time in file names (default: the system clock). */
  clock?: Clock;
  /** Receives `checkpoint.rotate_failed` when an old checkpoint cannot be deleted. */
  logger?: Logger;
  /** File system functions (default: node:fs/promises). */
  fs?: CheckpointFs;
}

/** `checkpoint-<epoch ms, 15 digits>-<sequence, 6 digits>.nxck`: ids sort chronologically as strings. */
const CHECKPOINT_FILE = /^checkpoint-(\d{15})-(\d{6})\.nxck$/;
/** Temporary files; one left behind means a writer died mid-write, so it is never listed. */
const TEMP_FILE = /^\.checkpoint-.*\.tmp$/;

/**
 * A CheckpointStore over a directory (created on first write). A write goes to a temporary file
 * in the same directory, is fsynced, renamed to its final name and the directory fsynced, so a
 * reader (or a restart after a crash or power loss) sees either the whole blob or none of it.
 * One process writes a directory at a time; writes through one instance are serialized.
 */
export class FsCheckpointStore implements CheckpointStore {
  readonly dir: string;
  readonly keep: number;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly fs: CheckpointFs;
  private pending: Promise<unknown> = Promise.resolve();

  constructor(dir: string, options: FsCheckpointStoreOptions = {}) {
    const keep = options.keep ?? 5;
    if (!Number.isInteger(keep) || keep < 1) throw new NexusError('INVALID_OPTION', { key: 'keep', reason: `expected an integer ≥ 1, got ${keep}` });
    this.dir = dir;
    this.keep = keep;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.fs = options.fs ?? nodeFs;
  }

  /**
   * Writes a checkpoint atomically, then deletes the oldest beyond `keep` and temporary files left
   * by a killed writer. Throws NexusError CHECKPOINT_WRITE_FAILED (ENOSPC, EACCES...) with the
   * temporary file removed and earlier checkpoints untouched; if only the final directory fsync
   * fails, the new file is complete but may not survive a power loss, and the error says so.
   */
  write(bytes: Uint8Array): Promise<StoredCheckpoint> {
    const result = this.pending.then(() => this.writeNow(bytes));
    this.pending = result.catch(() => undefined);
    return result;
  }

  /** The checkpoints in the directory, newest first (none when the directory does not exist). */
  async list(): Promise<StoredCheckpoint[]> {
    const names = (await this.names()).filter((name) => CHECKPOINT_FILE.test(name)).sort().reverse();
    const listed: StoredCheckpoint[] = [];
    for (const id of names) {
      try {
        const { size } = await this.fs.stat(join(this.dir, id));
        listed.push({ id, sizeBytes: size, createdAt: Number(CHECKPOINT_FILE.exec(id)?.[1]) });
      } catch (error) {
        if (errorCode(error) !== 'ENOENT') throw error; // rotated away since readdir
      }
    }
    return listed;
  }

  /** The bytes of one checkpoint; throws NexusError CHECKPOINT_NOT_FOUND for an unknown id. */
  async read(id: string): Promise<Uint8Array> {
    const path = join(this.dir, id);
    if (!CHECKPOINT_FILE.test(id)) throw new NexusError('CHECKPOINT_NOT_FOUND', { location: path });
    try {
      return new Uint8Array(await this.fs.readFile(path));
    } catch (error) {
      if (errorCode(error) === 'ENOENT') throw new NexusError('CHECKPOINT_NOT_FOUND', { location: path }, { cause: error });
      throw error;
    }
  }

  private async writeNow(bytes: Uint8Array): Promise<StoredCheckpoint> {
    const { id, createdAt } = await this.nextId();
    const temp = join(this.dir, `.${id}.${Math.random().toString(36).slice(2, 10)}.tmp`);
    try {
      // Owner-only: checkpoints hold what users taught the assistant.
      const file = await this.fs.open(temp, 'wx', 0o600);
      try {
        await file.writeFile(bytes);
        await file.sync();
      } finally {
        await file.close();
      }
      await this.fs.rename(temp, join(this.dir, id));
    } catch (error) {
      await this.fs.unlink(temp).catch(() => undefined);
      throw this.writeFailed(error);
    }
    await this.syncDir().catch((error: unknown) => {
      throw this.writeFailed(error, `${id} was written but the directory could not be fsynced`);
    });
    await this.rotate();
    return { id, sizeBytes: bytes.length, createdAt };
  }

  /** An id after every existing one, even if the clock went back; removes stale temporary files. */
  private async nextId(): Promise<{ id: string; createdAt: number }> {
    let names: string[];
    try {
      await this.fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
      names = await this.names();
    } catch (error) {
      throw this.writeFailed(error);
    }
    for (const name of names.filter((n) => TEMP_FILE.test(n))) await this.fs.unlink(join(this.dir, name)).catch(() => undefined);
    const newest = names.filter((name) => CHECKPOINT_FILE.test(name)).sort().pop();
    const [, newestMs, newestSeq] = newest ? (CHECKPOINT_FILE.exec(newest) ?? []) : [];
    let createdAt = Math.max(0, Math.floor(this.clock.now()));
    let seq = 0;
    if (newest && Number(newestMs) >= createdAt) {
      createdAt = Number(newestMs);
      seq = Number(newestSeq) + 1;
    }
    return { id: `checkpoint-${String(createdAt).padStart(15, '0')}-${String(seq).padStart(6, '0')}.nxck`, createdAt };
  }

  /** Makes the rename durable; platforms that cannot open a directory (Windows) skip it. */
  private async syncDir(): Promise<void> {
    let dir: nodeFs.FileHandle;
    try {
      dir = await this.fs.open(this.dir, 'r');
    } catch (error) {
      if (errorCode(error) === 'EISDIR' || errorCode(error) === 'EPERM') return;
      throw error;
    }
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  /** Best effort: the new checkpoint is already safe, so a failure here is logged, not thrown. */
  private async rotate(): Promise<void> {
    try {
      for (const { id } of (await this.list()).slice(this.keep)) {
        await this.fs.unlink(join(this.dir, id)).catch((error: unknown) => {
          if (errorCode(error) !== 'ENOENT') throw error;
        });
      }
    } catch (error) {
      this.logger.log('warn', 'checkpoint.rotate_failed', { location: this.dir, reason: String(error) });
    }
  }

  private async names(): Promise<string[]> {
    try {
      return await this.fs.readdir(this.dir);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return [];
      throw error;
    }
  }

  private writeFailed(error: unknown, context?: string): NexusError {
    const message = error instanceof Error ? error.message : String(error);
    const reason = context ? `${context}: ${message}` : message;
    return new NexusError('CHECKPOINT_WRITE_FAILED', { location: this.dir, reason, errno: errorCode(error) }, { cause: error });
  }
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
