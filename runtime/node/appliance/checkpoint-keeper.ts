// CheckpointKeeper: saves and restores the assistant's state through the file store, remembering the last save.
import { checkAssistantSections, encodeAssistantCheckpoint, restoreAssistantState, type RestoreReport } from '../../core/assistant/assistant-checkpoint.js';
import type { Assistant } from '../../core/assistant/assistant.js';
import { decodeCheckpoint } from '../../core/checkpoint/checkpoint-codec.js';
import { loadNewestCheckpoint } from '../../core/checkpoint/load-newest-checkpoint.js';
import { toNexusError } from '../../core/nexus-error.js';
import type { StoredCheckpoint } from '../../core/platform/checkpoint-store.js';
import type { Logger } from '../../core/platform/logger.js';
import { FsCheckpointStore } from '../checkpoint-store-fs.js';

/** Who wrote the checkpoints of this appliance. */
export const PRODUCER = 'nexus-edge/0.1.0 node';

/** What status reports about checkpoints. */
export interface CheckpointStatus {
  lastSavedAt: string | null;
  lastId: string | null;
  ageSeconds: number | null;
  lastError: string | null;
  /** Why the checkpoints could not be read at start (a file where the directory should be, no permission); null once a save succeeds. */
  restoreError: string | null;
}

/** The appliance's checkpoint directory and the outcome of its last save. */
export class CheckpointKeeper {
  readonly store: FsCheckpointStore;
  private lastSavedMs: number | null = null;
  private lastId: string | null = null;
  private lastError: string | null = null;
  private restoreError: string | null = null;

  constructor(dir: string, keep: number, private readonly logger: Logger) {
    this.store = new FsCheckpointStore(dir, { keep, logger });
  }

  /** Encodes the assistant's state and writes it; records the outcome, rethrows a failure. */
  async save(assistant: Assistant, reason: string): Promise<StoredCheckpoint> {
    try {
      const stored = await this.store.write(await this.encode(assistant));
      this.lastSavedMs = Date.now();
      this.lastId = stored.id;
      this.lastError = null;
      this.restoreError = null;
      this.logger.log('info', 'checkpoint.saved', { id: stored.id, sizeBytes: stored.sizeBytes, reason });
      return stored;
    } catch (error) {
      this.lastError = toNexusError(error).message;
      this.logger.log('error', 'checkpoint.save_failed', { reason, error: this.lastError });
      throw error;
    }
  }

  /** The bytes a checkpoint of the current state would have (GET /api/checkpoint/latest). */
  encode(assistant: Assistant): Promise<Uint8Array> {
    return encodeAssistantCheckpoint(assistant, { producer: PRODUCER });
  }

  /** Restores the newest checkpoint that decodes and whose content parses; corrupt newer ones are skipped and logged. */
  async restoreNewest(assistant: Assistant): Promise<(RestoreReport & { id: string }) | null> {
    try {
      const loaded = await loadNewestCheckpoint(this.store, { modelSha256: assistant.model.modelSha256, logger: this.logger, location: this.store.dir, validate: checkAssistantSections });
      if (!loaded) return null;
      const report = restoreAssistantState(assistant, loaded.checkpoint);
      this.lastId = loaded.id;
      // Another model's checkpoint keeps what travels (memory, counters) and drops the rest: say so loudly.
      const level = report.modelMismatch || loaded.skipped.length ? 'warn' : 'info';
      this.logger.log(level, 'checkpoint.restored', { id: loaded.id, restored: report.restored, dropped: report.dropped, modelMismatch: report.modelMismatch, skipped: loaded.skipped.length });
      return { ...report, id: loaded.id };
    } catch (error) {
      this.restoreError = toNexusError(error).message;
      this.logger.log('error', 'checkpoint.restore_failed', { error: this.restoreError });
      return null;
    }
  }

  /**
   * Decodes (verifying it) and applies an imported checkpoint: its memory is added to this one's, as
   * the PWA's import does, so nothing taught here since the last save is lost; its gate calibration
   * (this model's only) and counters replace these. Throws CHECKPOINT_CORRUPT and changes nothing when bad.
   */
  async apply(assistant: Assistant, bytes: Uint8Array): Promise<RestoreReport> {
    const checkpoint = await decodeCheckpoint(bytes, { modelSha256: assistant.model.modelSha256 });
    return restoreAssistantState(assistant, checkpoint, { memory: 'merge' });
  }

  status(): CheckpointStatus {
    return {
      lastSavedAt: this.lastSavedMs === null ? null : new Date(this.lastSavedMs).toISOString(),
      lastId: this.lastId,
      ageSeconds: this.lastSavedMs === null ? null : (Date.now() - this.lastSavedMs) / 1000,
      lastError: this.lastError,
      restoreError: this.restoreError,
    };
  }
}
