// StoredMemorySync: each tab's learned memory kept in step with the other tabs' through the shared checkpoint store.
import { decodeCheckpoint, encodeAssistantCheckpoint, LearnerMemory, type Assistant, type CheckpointStore } from '../../../runtime/core/index.js';

/** The Web Lock under which a tab reads the newest checkpoint, adds it to its memory and writes its own; also the channel that says a tab wrote. */
const LOCK = 'nexus-memory';

/**
 * Every tab has its own worker, its own assistant and its own copy of the memory, and writes all of
 * it to one IndexedDB store: the last tab to write used to win, so what another tab taught or
 * imported since this tab loaded was lost. Before it writes or exports, and when another tab says it
 * wrote, a tab adds the newest stored memory to its own (for a question both hold, the answer taught
 * last wins).
 */
export class StoredMemorySync {
  /** The newest stored checkpoint this tab's memory already holds. */
  private seenId: string | undefined;
  private readonly channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(LOCK) : undefined;

  constructor(
    private readonly store: CheckpointStore,
    private readonly producer: string,
  ) {}

  /** Notes the checkpoint the assistant was restored from at load. */
  restoredFrom(id: string | undefined): void {
    this.seenId = id;
  }

  /** Calls `changed` each time another tab of this origin has written its memory. */
  onOtherTabWrote(changed: () => void): void {
    this.channel?.addEventListener('message', changed);
  }

  /** Adds what another tab stored since this one last looked; a checkpoint that does not read is left to the next one. */
  async pull(target: Assistant): Promise<void> {
    const [newest] = await this.store.list();
    if (!newest || newest.id === this.seenId) return;
    try {
      const { sections } = await decodeCheckpoint(await this.store.read(newest.id));
      if (sections.memory !== undefined) target.memory.mergeFrom(LearnerMemory.fromSection(sections.memory));
    } catch {
      // Corrupt or unreadable: this tab's memory stays as it is, and its own write replaces it.
    }
    this.seenId = newest.id;
  }

  /** Pulls, then writes this tab's state, under a lock where the browser has Web Locks (not over plain HTTP). */
  async persist(target: Assistant): Promise<void> {
    await this.locked(async () => {
      await this.pull(target);
      this.seenId = (await this.store.write(await encodeAssistantCheckpoint(target, { producer: this.producer }))).id;
    });
    this.channel?.postMessage('written');
  }

  private async locked(work: () => Promise<void>): Promise<void> {
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    if (locks) await locks.request(LOCK, work);
    else await work();
  }
}
