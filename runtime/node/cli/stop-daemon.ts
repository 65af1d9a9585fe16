// stopDaemon: SIGTERM to the background appliance (it saves a checkpoint on the way down) and waits for it to exit.
import { rm } from 'node:fs/promises';
import { CliError } from './cli-error.js';
import { exitCodes } from './exit-codes.js';
import { fileSize } from './file-size.js';
import { finalSaveError } from './final-save-error.js';
import { applianceProcess, isProcessAlive } from './pid-file.js';
import type { Target } from './resolve-target.js';
import { sleep } from './sleep.js';

/**
 * Stops the daemon named by the PID file; returns its PID and, when its final checkpoint save failed,
 * that error (from its log). Not running is CliError(notRunning).
 */
export async function stopDaemon(target: Pick<Target, 'pidFile' | 'dataDir' | 'logFile'>, timeoutMs: number): Promise<{ pid: number; finalSaveError?: string }> {
  const pid = await applianceProcess(target);
  if (pid === undefined) throw new CliError(`the appliance is not running (no live PID in ${target.pidFile})`, exitCodes.notRunning);
  // Where the lines of this stop begin in the log.
  const offset = await fileSize(target.logFile);
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) throw new CliError(`the appliance (PID ${pid}) did not exit within ${timeoutMs / 1000} s after SIGTERM`, exitCodes.timeout);
    await sleep(100);
  }
  await rm(target.pidFile, { force: true });
  return { pid, finalSaveError: await finalSaveError(target.logFile, offset) };
}
