// The start flags file: the config flags a background appliance was started with, so that restart keeps them.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Config flags as commander names them (camelCase: port, adminPort, dataDir, …), values as given. */
export type StartFlags = Record<string, string>;

const fileOf = (dataDir: string) => join(dataDir, 'nexus.start-flags.json');

/** Records the flags of the daemon `pid` in `<dataDir>/nexus.start-flags.json`. */
export async function writeStartFlags(dataDir: string, pid: number, flags: StartFlags): Promise<void> {
  await writeFile(fileOf(dataDir), `${JSON.stringify({ pid, flags })}\n`, { mode: 0o600 });
}

/** The flags the daemon `pid` was started with; {} when the file is missing or belongs to another process. */
export async function readStartFlags(dataDir: string, pid: number): Promise<StartFlags> {
  try {
    const saved = JSON.parse(await readFile(fileOf(dataDir), 'utf8')) as { pid?: unknown; flags?: unknown };
    const flags = saved.pid === pid && typeof saved.flags === 'object' && saved.flags !== null ? (saved.flags as Record<string, unknown>) : {};
    return Object.fromEntries(Object.entries(flags).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return {};
  }
}

/** Removes the file (the daemon stopped or never started). */
export async function removeStartFlags(dataDir: string): Promise<void> {
  await rm(fileOf(dataDir), { force: true });
}
