// TokenBucketLimiter: a burst up to the limit, then RATE_LIMITED with the seconds until a token is back.
import { describe, expect, it } from 'vitest';
import { isNexusError } from '../../../runtime/core/index.js';
import { TokenBucketLimiter } from '../../../runtime/node/http/token-bucket.js';

describe('TokenBucketLimiter', () => {
  it('allows perMinute at once, refuses the next, refills over time, per name', () => {
    const limiter = new TokenBucketLimiter(3);
    for (let i = 0; i < 3; i++) limiter.take('a', 0);
    let refused: unknown;
    try {
      limiter.take('a', 0);
    } catch (error) {
      refused = error;
    }
    expect(isNexusError(refused, 'RATE_LIMITED')).toBe(true);
    expect((refused as { details: { retryAfterSeconds: number } }).details.retryAfterSeconds).toBe(20);
    limiter.take('b', 0);
    limiter.take('a', 20_000);
  });
});
