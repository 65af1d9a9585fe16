// TokenBucketLimiter: per-name token buckets (a key, an address) refilled continuously; over → RATE_LIMITED.
import { NexusError } from '../../core/nexus-error.js';

interface Bucket {
  tokens: number;
  at: number;
}

/** `perMinute` requests a minute per name, bursting up to `perMinute`. */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(public perMinute: number) {}

  /** Takes one token for `name` or throws RATE_LIMITED with the seconds until one is back. */
  take(name: string, now = Date.now()): void {
    const ratePerMs = this.perMinute / 60_000;
    const bucket = this.buckets.get(name) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * ratePerMs);
    bucket.at = now;
    this.buckets.set(name, bucket);
    if (bucket.tokens < 1) throw new NexusError('RATE_LIMITED', { retryAfterSeconds: Math.ceil((1 - bucket.tokens) / ratePerMs / 1000) });
    bucket.tokens -= 1;
    if (this.buckets.size > 10_000) this.prune(now);
  }

  /** Drops full buckets, which hold no information. */
  private prune(now: number): void {
    for (const [name, bucket] of this.buckets) if (bucket.tokens + (now - bucket.at) * (this.perMinute / 60_000) >= this.perMinute) this.buckets.delete(name);
  }
}
