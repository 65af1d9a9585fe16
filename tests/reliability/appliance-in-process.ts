// Reliability harness: a real appliance in this process on a data dir the test prepares (corrupt files, tmpfs), logs parsed.
import type { NexusConfig } from '../../edge-config/config-schema.js';
import { readAdminKey } from '../../runtime/node/appliance/admin-key.js';
import { ApplianceLogger } from '../../runtime/node/appliance/appliance-logger.js';
import { startAppliance, type ApplianceHandle, type StartApplianceOptions } from '../../runtime/node/appliance/start-appliance.js';
import { testConfig } from '../node/appliance/appliance-harness.js';
import type { LogLine } from './daemon-process.js';

/** A started appliance with its parsed log lines and admin helpers. */
export interface InProcessAppliance {
  app: ApplianceHandle;
  adminKey: string;
  logs: LogLine[];
  /** The raw JSON lines, to grep for secrets. */
  rawLogs: string[];
  control(body: Record<string, unknown>): Promise<Response>;
  admin(path: string, init?: RequestInit): Promise<Response>;
}

/** Starts the appliance on `dataDir` (kept: the caller owns it) with debug logs captured. */
export async function startInProcess(dataDir: string, overrides: Partial<NexusConfig> = {}, options: StartApplianceOptions = {}): Promise<InProcessAppliance> {
  const logs: LogLine[] = [];
  const rawLogs: string[] = [];
  const logger = new ApplianceLogger({
    level: 'debug',
    write: (line) => {
      rawLogs.push(line);
      logs.push(JSON.parse(line) as LogLine);
    },
  });
  const app = await startAppliance(testConfig(dataDir, overrides), { logger, staticDir: null, ...options });
  const adminKey = await readAdminKey(dataDir);
  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${app.adminUrl}${path}`, { ...init, headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  return { app, adminKey, logs, rawLogs, admin, control: (body) => admin('/api/control', { method: 'POST', body: JSON.stringify(body) }) };
}
