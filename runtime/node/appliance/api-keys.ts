// ApiKeys: the hashed API keys in <dataDir>/keys.json, and constant-time lookup of a bearer key.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as z from 'zod';
import { NexusError } from '../../core/nexus-error.js';
import { writeFileAtomically } from '../write-file-atomically.js';

/** What a key may do: chat (ask, teach), read (status, events, checkpoints), admin (control). */
export const apiScopes = ['chat', 'read', 'admin'] as const;
export type ApiScope = (typeof apiScopes)[number];

const keyRecordSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  scopes: z.array(z.enum(apiScopes)),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
});
/** One stored key: never the key itself, only its SHA-256. */
export type ApiKeyRecord = z.infer<typeof keyRecordSchema>;

/** SHA-256 of a key, hex. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A new random key (`nx_` + 32 random bytes, base64url). */
export function newKey(): string {
  return `nx_${randomBytes(32).toString('base64url')}`;
}

/** Reads keys.json; a missing file is no keys, a malformed one is CONFIG_INVALID naming it. */
export async function readKeyRecords(file: string): Promise<ApiKeyRecord[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return [];
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new NexusError('CONFIG_INVALID', { key: file, reason: `not valid JSON (${(error as Error).message}); fix it, or move it away and create keys again with nexusctl token create` });
  }
  const parsed = z.array(keyRecordSchema).safeParse(json);
  if (!parsed.success) throw new NexusError('CONFIG_INVALID', { key: file, reason: parsed.error.issues[0]?.message ?? 'malformed' });
  return parsed.data;
}

/** Writes keys.json atomically, owner-only. */
export async function writeKeyRecords(file: string, records: readonly ApiKeyRecord[]): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomically(file, `${JSON.stringify(records, null, 2)}\n`, { mode: 0o600 });
}

/** The key records of one file, re-read when the file changes (so `nexusctl token --rotate` applies live). */
export class ApiKeys {
  private records: ApiKeyRecord[] = [];
  private loadedMtime = -1;

  constructor(readonly file: string) {}

  /** The record whose hash matches `key` (compared in constant time), or undefined. */
  async verify(key: string): Promise<ApiKeyRecord | undefined> {
    await this.refresh();
    const candidate = Buffer.from(hashKey(key), 'hex');
    let found: ApiKeyRecord | undefined;
    // Compare against every record so the time does not depend on which one matches.
    for (const record of this.records) {
      if (timingSafeEqual(candidate, Buffer.from(record.sha256, 'hex')) && !found) found = record;
    }
    return found;
  }

  private async refresh(): Promise<void> {
    let mtime: number;
    try {
      mtime = (await stat(this.file)).mtimeMs;
    } catch {
      this.records = [];
      this.loadedMtime = -1;
      return;
    }
    if (mtime === this.loadedMtime) return;
    this.records = await readKeyRecords(this.file);
    this.loadedMtime = mtime;
  }
}
