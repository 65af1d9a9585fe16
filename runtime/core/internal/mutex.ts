// Mutex: serializes async work on a resource that cannot run twice at once (an ORT session).

export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  /** Runs `task` after every earlier task has settled. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
