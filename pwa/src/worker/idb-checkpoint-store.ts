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

  constructor(
    private readonly name = 'nexus-checkpoints',
    private readonly keep = 5,
  ) {}

  async write(bytes: Uint8Array): Promise<StoredCheckpoint> {
    const record: CheckpointRecord = { id: this.nextId(), createdAt: Date.now(), bytes: bytes.slice() };
    const transaction = (await this.open()).transaction(STORE, 'readwrite');
    const finished = committed(transaction);
    const store = transaction.objectStore(STORE);
    store.put(record);
    // Rotation in the same transaction: a reader sees the new blob and the trimmed list together, or neither.
    const keys = (await done(store.getAllKeys())).map(String).sort();
    for (const old of keys.slice(0, Math.max(0, keys.length - this.keep))) store.delete(old);
    await finished;
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

  /** Ids sort newest-last as strings: zero-padded time, then a counter for writes in the same millisecond. */
  private nextId(): string {
    let id = `${String(Date.now()).padStart(15, '0')}-000`;
    if (id <= this.lastId) id = `${this.lastId.slice(0, 15)}-${String(Number(this.lastId.slice(16)) + 1).padStart(3, '0')}`;
    this.lastId = id;
    return id;
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
