// networkErrorText: what went wrong under fetch's "fetch failed", for one-line errors.

/**
 * fetch rejects with TypeError('fetch failed') and the socket's error as its cause (undici in Node:
 * `getaddrinfo ENOTFOUND huggingface.co`, `connect ECONNREFUSED 10.0.0.5:8000`, a connect timeout);
 * the cause's code stands in when its message is empty (both address families failed). Browsers give
 * no cause: their own message is all there is.
 */
export function networkErrorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  if (typeof cause?.message === 'string' && cause.message !== '') return cause.message;
  if (typeof cause?.code === 'string') return cause.code;
  return error.message;
}
