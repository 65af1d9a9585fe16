// lanApiKey: the key nexusctl sends to the LAN API (status, chat).
import { readAdminKey } from '../appliance/admin-key.js';
import type { TargetOptions } from './common-options.js';
import type { Target } from './resolve-target.js';

/**
 * --api-key (or NEXUS_API_KEY); without one, for the appliance of this data directory (no --url),
 * the key the admin commands use, which holds the chat and read scopes too: a LAN-bound appliance
 * answers nobody without a key, its own machine included.
 */
export async function lanApiKey(target: Pick<Target, 'dataDir'>, options: TargetOptions): Promise<string | undefined> {
  if (options.apiKey) return options.apiKey;
  if (options.url) return undefined;
  return process.env.NEXUS_ADMIN_KEY || (await readAdminKey(target.dataDir).catch(() => undefined));
}
