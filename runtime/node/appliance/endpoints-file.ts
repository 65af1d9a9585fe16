// The endpoints file: where a running appliance actually listens, so nexusctl finds one started with --port flags or port 0.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive } from '../is-process-alive.js';

export interface ApplianceEndpoints {
  pid: number;
  lanUrl: string;
  adminUrl: string;
}

const fileName = 'nexus.endpoints.json';

/** Records this process's bound URLs in `<dataDir>/nexus.endpoints.json`. */
export async function writeEndpointsFile(dataDir: string, endpoints: Omit<ApplianceEndpoints, 'pid'>): Promise<void> {
  await writeFile(join(dataDir, fileName), `${JSON.stringify({ pid: process.pid, ...endpoints })}\n`, { mode: 0o600 });
}

/** Removes the file if this process wrote it (another appliance may have taken the directory since). */
export async function removeEndpointsFile(dataDir: string): Promise<void> {
  const current = await readEndpointsFile(dataDir);
  if (current?.pid === process.pid) await rm(join(dataDir, fileName), { force: true });
}

/** The endpoints of the appliance that wrote the file, when that process is still alive. */
export async function readLiveEndpoints(dataDir: string): Promise<ApplianceEndpoints | undefined> {
  const endpoints = await readEndpointsFile(dataDir);
  return endpoints && isProcessAlive(endpoints.pid) ? endpoints : undefined;
}

async function readEndpointsFile(dataDir: string): Promise<ApplianceEndpoints | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(dataDir, fileName), 'utf8')) as Partial<ApplianceEndpoints>;
    const valid = Number.isInteger(parsed.pid) && typeof parsed.lanUrl === 'string' && typeof parsed.adminUrl === 'string';
    return valid ? (parsed as ApplianceEndpoints) : undefined;
  } catch {
    return undefined;
  }
}
