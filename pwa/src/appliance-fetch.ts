// applianceFetch: every call the PWA makes to an appliance, with its API key as a bearer token and a limit on the wait for its reply.
import { NexusError } from '../../runtime/core/index.js';
import { applianceUnreachable } from './appliance-error.js';

/** How long an appliance may take to begin its reply (a streamed answer may then take as long as it needs). */
const REPLY_TIMEOUT_S = 10;

/** An appliance: its base URL (no trailing slash) and the API key to send, blank for none. */
export interface ApplianceTarget {
  base: string;
  key: string;
}

/** The Authorization header for `key`, or none for a blank key. */
export function bearerHeader(key: string): Record<string, string> {
  return key.trim() ? { authorization: `Bearer ${key.trim()}` } : {};
}

/**
 * Fetches `path` of the appliance with its key. Fails naming the appliance when it cannot be reached
 * or its reply has not begun within 10 s; aborting `init.signal` rejects with the abort as fetch does.
 */
export async function applianceFetch(target: ApplianceTarget, path: string, init: RequestInit = {}): Promise<Response> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), REPLY_TIMEOUT_S * 1000);
  const signal = init.signal ? AbortSignal.any([init.signal, timeout.signal]) : timeout.signal;
  try {
    return await fetch(`${target.base}${path}`, { ...init, signal, headers: { ...bearerHeader(target.key), ...(init.headers as Record<string, string> | undefined) } });
  } catch (error) {
    if (init.signal?.aborted) throw error;
    if (timeout.signal.aborted) throw new NexusError('INTERNAL', { reason: `the appliance at ${target.base} did not reply within ${REPLY_TIMEOUT_S} s` });
    throw applianceUnreachable(target.base, error);
  } finally {
    clearTimeout(timer);
  }
}
