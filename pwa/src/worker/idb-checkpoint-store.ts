// IdbCheckpointStore: checkpoint blobs in IndexedDB, each write and its rotation in one transaction.
import { NexusError, type CheckpointStore, type StoredCheckpoint } from '../../../runtime/core/index.js';

const STORE = 'checkpoints';

interface CheckpointRecord {
  id: string;
  createdAt: number;
  bytes: Uint8Array;
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function committed(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onabort = transaction.onerror = () => reject(transaction.error ?? new Error('transaction aborted'));
  });
}

/** A rotating CheckpointStore in IndexedDB (`nexus-checkpoints` database by default, newest `keep` kept). */
export class IdbCheckpointStore implements CheckpointStore {
  private database: Promise<IDBDatabase> | undefined;
  private lastId = '';
  private readonly tag = Math.random().toString(36).slice(2, 8).padEnd(6, '0');

  constructor(
    private readonly name = 'nexus-checkpoints',
    private readonly keep = 5,
  ) {}

  /** Writes one checkpoint and trims to `keep`, atomically; a full origin quota is STORAGE_QUOTA_EXCEEDED with nothing changed. */
  async write(bytes: Uint8Array): Promise<StoredCheckpoint> {
    const record: CheckpointRecord = { id: this.nextId(), createdAt: Date.now(), bytes: bytes.slice() };
    const transaction = (await this.open()).transaction(STORE, 'readwrite');
    const finished = committed(transaction);
    const store = transaction.objectStore(STORE);
    try {
      // add, not put: an id taken by another tab must fail the write, never replace that tab's checkpoint.
      store.add(record);
      // Rotation in the same transaction: a reader sees the new blob and the trimmed list together, or neither.
      const keys = (await done(store.getAllKeys())).map(String).sort();
      for (const old of keys.slice(0, Math.max(0, keys.length - this.keep))) store.delete(old);
      await finished;
    } catch (error) {
      await finished.catch(() => undefined);
      if (error instanceof DOMException && error.name === 'QuotaExceededError') throw new NexusError('STORAGE_QUOTA_EXCEEDED', { reason: `IndexedDB ${this.name} refused ${bytes.byteLength} bytes; free some space or export the checkpoint to a file` }, { cause: error });
      throw error;
    }
    return { id: record.id, sizeBytes: record.bytes.byteLength, createdAt: record.createdAt };
  }

  async list(): Promise<StoredCheckpoint[]> {
    const transaction = (await this.open()).transaction(STORE, 'readonly');
    const records = await done(transaction.objectStore(STORE).getAll() as IDBRequest<CheckpointRecord[]>);
    return records
      .map(({ id, createdAt, bytes }) => ({ id, createdAt, sizeBytes: bytes.byteLength }))
      .sort((a, b) => (a.id < b.id ? 1 : -1));
  }

  async read(id: string): Promise<Uint8Array> {
    const transaction = (await this.open()).transaction(STORE, 'readonly');
    const record = await done(transaction.objectStore(STORE).get(id) as IDBRequest<CheckpointRecord | undefined>);
    if (!record) throw new NexusError('CHECKPOINT_NOT_FOUND', { location: `IndexedDB ${this.name}/${id}` });
    return record.bytes;
  }

  /**
   * Ids sort newest-last as strings: zero-padded time, a counter for writes in the same millisecond,
   * then this store's random tag, so two tabs writing in the same millisecond get different ids
   * (the tag-less ids of two tabs collided, and the second write replaced the first).
   */
  private nextId(): string {
    const ms = String(Date.now()).padStart(15, '0');
    const last = this.lastId.slice(0, 19);
    let stem = `${ms}-000`;
    if (stem <= last) stem = `${last.slice(0, 15)}-${String(Number(last.slice(16, 19)) + 1).padStart(3, '0')}`;
    this.lastId = `${stem}-${this.tag}`;
    return this.lastId;
  }

  private open(): Promise<IDBDatabase> {
    this.database ??= new Promise((resolve, reject) => {
      const request = indexedDB.open(this.name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id' });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return this.database;
  }
}
