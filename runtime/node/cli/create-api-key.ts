// createApiKey: a new key for LAN clients (phones, scripts) in the keys file, which the appliance re-reads live.
import { randomBytes } from 'node:crypto';
import { hashKey, newKey, readKeyRecords, writeKeyRecords, type ApiScope } from '../appliance/api-keys.js';

/** A created key: its id in the keys file and the key itself (shown once; only its hash is stored). */
export interface CreatedApiKey {
  id: string;
  key: string;
}

/** Adds a key named `name` with `scopes` to `keysFile` and returns it. */
export async function createApiKey(keysFile: string, name: string, scopes: readonly ApiScope[]): Promise<CreatedApiKey> {
  const records = await readKeyRecords(keysFile);
  const id = `key-${randomBytes(4).toString('hex')}`;
  const key = newKey();
  await writeKeyRecords(keysFile, [...records, { id, name, scopes: [...scopes], sha256: hashKey(key), createdAt: new Date().toISOString() }]);
  return { id, key };
}
