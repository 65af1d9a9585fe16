// applianceError: what a failed call to an appliance says — its JSON error, that a key is needed, or that it could not be reached.
import { NexusError, type NexusErrorJSON } from '../../runtime/core/index.js';

/** Which key a call needs: chat and teach need the chat scope, sync the read scope, pause / resume / save the admin scope. */
export type ApplianceScope = 'chat' | 'read' | 'admin';

const keyNeeded: Record<ApplianceScope, string> = { chat: 'an API key with the chat scope is needed', read: 'an API key with the read scope is needed', admin: 'an admin key is needed' };

/** The error of a non-OK response: 401/403 say which key is needed; otherwise the body's message, else the status. */
export async function applianceError(response: Response, scope: ApplianceScope): Promise<NexusError> {
  const body = (await response.json().catch(() => undefined)) as { error?: Partial<NexusErrorJSON> } | undefined;
  const said = typeof body?.error?.message === 'string' ? body.error.message : undefined;
  if (response.status === 401 || response.status === 403) {
    const code = response.status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN';
    return NexusError.fromJSON({ code, message: `${keyNeeded[scope]} (HTTP ${response.status}${said ? `: ${said}` : ''})`, details: body?.error?.details ?? {} });
  }
  if (body?.error?.code && said) return NexusError.fromJSON({ code: body.error.code, message: said, details: body.error.details ?? {} });
  return new NexusError('INTERNAL', { reason: `the appliance answered HTTP ${response.status}` });
}

/** The error of a fetch that got no response at all (the browser says only "Failed to fetch"). */
export function applianceUnreachable(baseUrl: string, error: unknown): NexusError {
  return new NexusError('INTERNAL', { reason: `the appliance at ${baseUrl} could not be reached (${(error as Error).message})` }, { cause: error });
}
