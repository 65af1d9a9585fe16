// The PID file of a background appliance: read it, and tell whether that process still runs.
import { readFile, rm } from 'node:fs/promises';
import { readLiveEndpoints } from '../appliance/endpoints-file.js';
import { isProcessAlive } from '../is-process-alive.js';

export { isProcessAlive };

/** The PID in the file, or undefined when there is no file or it holds no number. */
export async function readPid(pidFile: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile(pidFile, 'utf8')).trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The PID of the running appliance, or undefined; a stale file (dead process) is removed. */
export async function runningPid(pidFile: string): Promise<number | undefined> {
  const pid = await readPid(pidFile);
  if (pid === undefined) return undefined;
  if (isProcessAlive(pid)) return pid;
  await rm(pidFile, { force: true });
  return undefined;
}

/**
 * The PID of the appliance of `dataDir`, in the background (its PID file) or in a terminal
 * (nexusctl serve, npm start: no PID file, but the live endpoints file it writes names it).
 */
export async function applianceProcess(target: { pidFile: string; dataDir: string }): Promise<number | undefined> {
  return (await runningPid(target.pidFile)) ?? (await readLiveEndpoints(target.dataDir))?.pid;
}
