// errorBody: NexusError codes map to statuses with Retry-After; anything else is a generic 500 without internals.
import { describe, expect, it } from 'vitest';
import { NexusError } from '../../../runtime/core/index.js';
import { errorBody } from '../../../runtime/node/http/error-response.js';

describe('errorBody', () => {
  it('maps codes to statuses and retry hints', () => {
    expect(errorBody(new NexusError('QUEUE_FULL', { size: 2, retryAfterSeconds: 3 }))).toMatchObject({ status: 429, retryAfter: 3 });
    expect(errorBody(new NexusError('CIRCUIT_OPEN', { name: 'inference', retryAfterMs: 1500 }))).toMatchObject({ status: 503, retryAfter: 2 });
    expect(errorBody(new NexusError('PAUSED')).status).toBe(503);
    expect(errorBody(new NexusError('FORBIDDEN', { scope: 'admin' })).status).toBe(403);
    expect(errorBody(new NexusError('PAYLOAD_TOO_LARGE', { limitBytes: 1 })).status).toBe(413);
  });

  it('hides unexpected errors', () => {
    const { status, body } = errorBody(new TypeError('secret internals at /home/x'));
    expect(status).toBe(500);
    expect(body.error.code).toBe('INTERNAL');
    expect(JSON.stringify(body)).not.toContain('secret');
  });
});
