// applianceFetch: every call the PWA makes to an appliance, with its API key as a bearer token.
import { applianceUnreachable } from './appliance-error.js';

/** An appliance: its base URL (no trailing slash) and the API key to send, blank for none. */
export interface ApplianceTarget {
  base: string;
  key: string;
}

/** The Authorization header for `key`, or none for a blank key. */
export function bearerHeader(key: string): Record<string, string> {
  return key.trim() ? { authorization: `Bearer ${key.trim()}` } : {};
}

/** Fetches `path` of the appliance with its key; a request that gets no response fails naming the appliance. */
export async function applianceFetch(target: ApplianceTarget, path: string, init: RequestInit = {}): Promise<Response> {
  const signal = init.signal ?? undefined;
  try {
    return await fetch(`${target.base}${path}`, { ...init, headers: { ...bearerHeader(target.key), ...(init.headers as Record<string, string> | undefined) } });
  } catch (error) {
    throw signal?.aborted ? error : applianceUnreachable(target.base, error);
  }
}
