// networkErrorText: the line a failed fetch's error gives, from undici's cause when there is one.
import { describe, expect, it } from 'vitest';
import { networkErrorText } from '../../runtime/core/network-error-text.js';
import { freePort } from '../support/free-port.js';

describe('networkErrorText', () => {
  it("says the socket's error under a real fetch's 'fetch failed'", async () => {
    const port = await freePort();
    const error = await fetch(`http://127.0.0.1:${port}/`).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(networkErrorText(error)).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it("gives the cause's code when its message is empty (both address families failed), else the error's own message", () => {
    const bothFailed = Object.assign(new AggregateError([], ''), { code: 'ECONNREFUSED' });
    expect(networkErrorText(new TypeError('fetch failed', { cause: bothFailed }))).toBe('ECONNREFUSED');
    expect(networkErrorText(new TypeError('Failed to fetch'))).toBe('Failed to fetch');
    expect(networkErrorText('offline')).toBe('offline');
  });
});
