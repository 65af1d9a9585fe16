// loadNewestCheckpoint: the newest checkpoint in a store that decodes, falling back past damaged ones.
import { isNexusError, NexusError } from '../nexus-error.js';
import type { CheckpointStore } from '../platform/checkpoint-store.js';
import { silentLogger, type Logger } from '../platform/logger.js';
import { decodeCheckpoint } from './checkpoint-codec.js';
import type { DecodedCheckpoint } from './checkpoint-types.js';

/** Options of loadNewestCheckpoint. */
export interface LoadNewestCheckpointOptions {
  /** SHA-256 of the model now loaded; model-dependent sections of another model's checkpoint are dropped. */
  modelSha256?: string;
  /** Receives a `checkpoint.skipped` warning for each checkpoint passed over. */
  logger?: Logger;
  /** Where the store is (a directory, `IndexedDB`), for the error when nothing loads. */
  location?: string;
  /** Checks a decoded checkpoint's content (throwing CHECKPOINT_CORRUPT): one that fails is skipped like a damaged one. */
  validate?: (checkpoint: DecodedCheckpoint) => void;
}

/** A checkpoint passed over, and why. */
export interface SkippedCheckpoint {
  id: string;
  /** The NexusError code (CHECKPOINT_CORRUPT, CHECKPOINT_VERSION_UNSUPPORTED, or a read failure's). */
  code: string;
  reason: string;
}

/** The checkpoint loaded, its id in the store, and the newer ones skipped on the way. */
export interface LoadedCheckpoint {
  checkpoint: DecodedCheckpoint;
  id: string;
  skipped: SkippedCheckpoint[];
}

/**
 * Reads and decodes the store's checkpoints newest first and returns the first that decodes (and passes `validate`);
 * each one skipped (corrupt, newer version, unreadable) is logged and listed in `skipped`.
 * Returns null when the store is empty; throws NexusError CHECKPOINT_NOT_FOUND (with the skips
 * in its details) when checkpoints exist but none loads.
 */
export async function loadNewestCheckpoint(store: CheckpointStore, options: LoadNewestCheckpointOptions = {}): Promise<LoadedCheckpoint | null> {
  const logger = options.logger ?? silentLogger;
  const listed = await store.list();
  if (listed.length === 0) return null;
  const skipped: SkippedCheckpoint[] = [];
  for (const { id } of listed) {
    try {
      const checkpoint = await decodeCheckpoint(await store.read(id), { modelSha256: options.modelSha256 });
      options.validate?.(checkpoint);
      return { checkpoint, id, skipped };
    } catch (error) {
      const code = isNexusError(error) ? error.code : 'INTERNAL';
      const reason = error instanceof Error ? error.message : String(error);
      skipped.push({ id, code, reason });
      logger.log('warn', 'checkpoint.skipped', { id, code, reason });
    }
  }
  throw new NexusError('CHECKPOINT_NOT_FOUND', { location: options.location ?? 'the checkpoint store', skipped });
}
