// Answer locks (Web Locks): a tab holds one while its answer streams, so the other tabs learn when that answer ends,
// however its tab ends (done, closed, crashed or killed: the browser releases a dead tab's locks).
// Web Locks exist only in secure contexts; over plain HTTP on a LAN the other tabs rely on the tab saying it is gone, or
// on its silence (AnswerSilenceWatch).

const lockName = (key: string) => `nexus-answer:${key}`;

function lockManager(): LockManager | undefined {
  return (globalThis.navigator as Navigator | undefined)?.locks;
}

/** True where the browser has Web Locks (secure contexts): other tabs then learn through the lock when an answer ends. */
export function answerLocksAvailable(): boolean {
  return lockManager() !== undefined;
}

/** A lock held for an answer: `held` resolves once it is granted (at once without Web Locks); `release` lets it go. */
export interface AnswerLock {
  readonly held: Promise<void>;
  release(): void;
}

/**
 * Holds the lock of the answer `key` until `release` is called. Where a lock cannot be had (an opaque origin), `held`
 * never resolves: the answer is not shown to other tabs as it streams, since they could not tell when it ends.
 */
export function holdAnswerLock(key: string): AnswerLock {
  const locks = lockManager();
  let release = () => {};
  if (!locks) return { held: Promise.resolve(), release };
  const released = new Promise<void>((resolve) => (release = resolve));
  const held = new Promise<void>((granted) => {
    const holdUntilReleased = () => {
      granted();
      return released;
    };
    locks.request(lockName(key), holdUntilReleased).catch(() => undefined);
  });
  return { held, release: () => release() };
}

/** Calls `then` once no tab holds the lock of the answer `key` (never without Web Locks). */
export function whenAnswerLockFree(key: string, then: () => void): void {
  void lockManager()
    ?.request(lockName(key), () => then())
    .catch(() => undefined);
}
