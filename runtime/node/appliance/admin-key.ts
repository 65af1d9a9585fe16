// Admin key: created on first start, its plaintext only in <dataDir>/admin.key (0600), its hash in keys.json.
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashKey, newKey, readKeyRecords, writeKeyRecords, type ApiKeyRecord } from './api-keys.js';

/** The admin key's id in the keys file. */
export const ADMIN_KEY_ID = 'admin';

/** Where the admin key's plaintext lives. */
export function adminKeyFile(dataDir: string): string {
  return join(dataDir, 'admin.key');
}

/** The default keys file of a data directory. */
export function keysFileOf(dataDir: string): string {
  return join(dataDir, 'keys.json');
}

/** The admin key written by the appliance (the local CLI's credential); throws if there is none. */
export async function readAdminKey(dataDir: string): Promise<string> {
  return (await readFile(adminKeyFile(dataDir), 'utf8')).trim();
}

async function storeAdminKey(dataDir: string, keysFile: string, key: string): Promise<void> {
  const others = (await readKeyRecords(keysFile)).filter((record) => record.id !== ADMIN_KEY_ID);
  const record: ApiKeyRecord = { id: ADMIN_KEY_ID, name: 'admin (local CLI)', scopes: ['admin', 'chat', 'read'], sha256: hashKey(key), createdAt: new Date().toISOString() };
  await writeKeyRecords(keysFile, [record, ...others]);
  await writeFile(adminKeyFile(dataDir), `${key}\n`, { mode: 0o600 });
  await chmod(adminKeyFile(dataDir), 0o600);
}

/** Replaces the admin key with a new one (old one stops working at once) and returns it. */
export async function rotateAdminKey(dataDir: string, keysFile = keysFileOf(dataDir)): Promise<string> {
  const key = newKey();
  await storeAdminKey(dataDir, keysFile, key);
  return key;
}

/**
 * Makes sure an admin key exists: keeps the current one when admin.key matches keys.json,
 * otherwise creates a new one. Returns whether one was created.
 */
export async function ensureAdminKey(dataDir: string, keysFile = keysFileOf(dataDir)): Promise<boolean> {
  const admin = (await readKeyRecords(keysFile)).find((record) => record.id === ADMIN_KEY_ID);
  const current = await readAdminKey(dataDir).catch(() => undefined);
  if (admin && current && hashKey(current) === admin.sha256) return false;
  await storeAdminKey(dataDir, keysFile, newKey());
  return true;
}
