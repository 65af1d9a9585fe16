// CheckpointStore: where checkpoint blobs live (files on the appliance, IndexedDB in the PWA).

/** One stored checkpoint, newest first in listings. */
export interface StoredCheckpoint {
  /** Store-specific id (a file name, an IndexedDB key); sorts newest-last as a string. */
  id: string;
  sizeBytes: number;
  createdAt: number;
}

/** A rotating store of checkpoint blobs; writes are atomic (a reader never sees half a blob). */
export interface CheckpointStore {
  /** Writes a new checkpoint atomically, then drops the oldest beyond the store's keep count. */
  write(bytes: Uint8Array): Promise<StoredCheckpoint>;
  /** All checkpoints, newest first. */
  list(): Promise<StoredCheckpoint[]>;
  /** The bytes of one checkpoint. */
  read(id: string): Promise<Uint8Array>;
}
