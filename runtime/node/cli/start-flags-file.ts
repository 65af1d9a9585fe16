// The start flags file: the config flags the background appliance last came up with, so that restart keeps them.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Config flags as commander names them (camelCase: port, adminPort, dataDir, …), values as given. */
export type StartFlags = Record<string, string>;

const fileOf = (dataDir: string) => join(dataDir, 'nexus.start-flags.json');

/**
 * Records the flags of a daemon that came up in `<dataDir>/nexus.start-flags.json`. The file
 * outlives the daemon (a stop, a crash, a failed start): only the next start that comes up
 * replaces it, so `stop; restart` and a restart after a failed one keep these flags.
 */
export async function writeStartFlags(dataDir: string, flags: StartFlags): Promise<void> {
  await writeFile(fileOf(dataDir), `${JSON.stringify({ flags })}\n`, { mode: 0o600 });
}

/** The flags the appliance of `dataDir` last came up with; {} when none were recorded. */
export async function readStartFlags(dataDir: string): Promise<StartFlags> {
  try {
    const saved = JSON.parse(await readFile(fileOf(dataDir), 'utf8')) as { flags?: unknown };
    const flags = typeof saved.flags === 'object' && saved.flags !== null ? (saved.flags as Record<string, unknown>) : {};
    return Object.fromEntries(Object.entries(flags).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return {};
  }
}
