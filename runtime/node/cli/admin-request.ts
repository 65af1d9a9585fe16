// adminRequest: a call to the admin API with the admin key read from the data directory.
import { adminKeyFile, readAdminKey } from '../appliance/admin-key.js';
import { isNexusError } from '../../core/nexus-error.js';
import { CliError } from './cli-error.js';
import { exitCodes } from './exit-codes.js';
import { requestJson, sendApi, type ApiRequest } from './http-client.js';
import type { Target } from './resolve-target.js';

/** The admin key and where it was read: NEXUS_ADMIN_KEY, else `<dataDir>/admin.key` (written by the appliance, 0600). */
export async function adminKeyFor(target: Target): Promise<{ key: string; from: string }> {
  if (process.env.NEXUS_ADMIN_KEY) return { key: process.env.NEXUS_ADMIN_KEY, from: 'NEXUS_ADMIN_KEY' };
  const file = adminKeyFile(target.dataDir);
  let key: string;
  try {
    key = await readAdminKey(target.dataDir);
  } catch {
    throw new CliError(`no admin key in ${file} (set NEXUS_ADMIN_KEY, or run nexusctl on the appliance with its --data-dir)`, exitCodes.auth);
  }
  if (!key) throw new CliError(`the admin key file ${file} is empty (the appliance writes a new one when it starts: nexusctl restart; or set NEXUS_ADMIN_KEY)`, exitCodes.auth);
  return { key, from: file };
}

/** Sends with the admin key; a refused key says which one it was and where the right one is. */
async function withAdminKey<T>(target: Target, send: (key: string) => Promise<T>): Promise<T> {
  const { key, from } = await adminKeyFor(target);
  try {
    return await send(key);
  } catch (error) {
    if (!isNexusError(error, 'UNAUTHORIZED')) throw error;
    throw new CliError(
      `the admin API at ${target.adminUrl} refused the admin key from ${from}: it is not this appliance's (${adminKeyFile(target.dataDir)} on the appliance holds the one it wrote at start)`,
      exitCodes.auth,
    );
  }
}

/** Sends to `<adminUrl><path>` with the admin key; returns the raw Response. */
export function sendAdmin(target: Target, path: string, request: ApiRequest = {}): Promise<Response> {
  return withAdminKey(target, (key) => sendApi(`${target.adminUrl}${path}`, { ...request, key }));
}

/** Sends to `<adminUrl><path>` with the admin key; returns the parsed JSON. */
export function requestAdmin<T>(target: Target, path: string, request: ApiRequest = {}): Promise<T> {
  return withAdminKey(target, (key) => requestJson<T>(`${target.adminUrl}${path}`, { ...request, key }));
}
