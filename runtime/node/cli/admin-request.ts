// adminRequest: a call to the admin API with the admin key read from the data directory.
import { adminKeyFile, readAdminKey } from '../appliance/admin-key.js';
import { CliError } from './cli-error.js';
import { exitCodes } from './exit-codes.js';
import { requestJson, sendApi, type ApiRequest } from './http-client.js';
import type { Target } from './resolve-target.js';

/** The admin key: NEXUS_ADMIN_KEY, else `<dataDir>/admin.key` (written by the appliance, 0600). */
export async function adminKeyFor(target: Target): Promise<string> {
  if (process.env.NEXUS_ADMIN_KEY) return process.env.NEXUS_ADMIN_KEY;
  try {
    return await readAdminKey(target.dataDir);
  } catch {
    throw new CliError(`no admin key in ${adminKeyFile(target.dataDir)} (set NEXUS_ADMIN_KEY, or run nexusctl on the appliance with its --data-dir)`, exitCodes.auth);
  }
}

/** Sends to `<adminUrl><path>` with the admin key; returns the raw Response. */
export async function sendAdmin(target: Target, path: string, request: ApiRequest = {}): Promise<Response> {
  return sendApi(`${target.adminUrl}${path}`, { ...request, key: await adminKeyFor(target) });
}

/** Sends to `<adminUrl><path>` with the admin key; returns the parsed JSON. */
export async function requestAdmin<T>(target: Target, path: string, request: ApiRequest = {}): Promise<T> {
  return requestJson<T>(`${target.adminUrl}${path}`, { ...request, key: await adminKeyFor(target) });
}
