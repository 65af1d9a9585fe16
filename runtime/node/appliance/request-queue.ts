// RequestQueue: at most `concurrency` jobs run at once, at most `size` wait; beyond that QUEUE_FULL.
import { NexusError } from '../../core/nexus-error.js';

interface Waiter {
  resolve: (release: () => void) => void;
  reject: (error: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** A bounded FIFO of generation slots. */
export class RequestQueue {
  size: number;
  concurrency: number;
  retryAfterSeconds: number;
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(options: { size: number; concurrency: number; retryAfterSeconds: number }) {
    this.size = options.size;
    this.concurrency = options.concurrency;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** Jobs waiting for a slot. */
  get depth(): number {
    return this.waiting.length;
  }

  /** Jobs holding a slot. */
  get active(): number {
    return this.running;
  }

  /**
   * Waits for a slot and returns its release function (call it exactly once). Throws QUEUE_FULL
   * at once when `size` jobs already wait, ABORTED when `signal` fires while waiting.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(new NexusError('ABORTED'));
    if (this.running < this.concurrency && this.waiting.length === 0) {
      this.running++;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.size) {
      return Promise.reject(new NexusError('QUEUE_FULL', { size: this.size, retryAfterSeconds: this.retryAfterSeconds }));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal };
      waiter.onAbort = () => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(new NexusError('ABORTED'));
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** Rejects every waiting job with `error` (shutdown). */
  rejectWaiting(error: unknown): void {
    for (const waiter of this.waiting.splice(0)) {
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.reject(error);
    }
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      this.next();
    };
  }

  private next(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const waiter = this.waiting.shift() as Waiter;
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      this.running++;
      waiter.resolve(this.releaser());
    }
  }
}
