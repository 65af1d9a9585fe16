// startDaemon: runs `nexusctl serve` in the background with its output in the log file, and waits until ready.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { daemonEnvironment, daemonNodeFlags } from '../appliance/daemon-process-tuning.js';
import { readLiveEndpoints, type ApplianceEndpoints } from '../appliance/endpoints-file.js';
import { packageRoot } from '../package-root.js';
import { CliError } from './cli-error.js';
import { configFlagArgs } from './config-flags.js';
import { exitCodes } from './exit-codes.js';
import { isProcessAlive, runningPid } from './pid-file.js';
import { readLogTail } from './read-log-tail.js';
import type { Target } from './resolve-target.js';
import { rotateLogFile } from './rotate-log.js';
import { sleep } from './sleep.js';
import { startFailure } from './start-failure.js';
import { writeStartFlags, type StartFlags } from './start-flags-file.js';

// From the package root: in the CLI bundle this code may sit in a chunk, not beside the entry.
const entry = join(packageRoot, 'dist/runtime/node/cli/nexusctl.js');

/**
 * How often the endpoints file is read while the daemon starts: it is ready ~0.7 s after the spawn;
 * a 200 ms period added 100 ms on average to `nexusctl start`.
 */
const readyPollMs = 50;

const sizeOf = (file: string) => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};

/**
 * Starts the daemon with the config `flags` and returns where it listens once it is ready. The
 * flags are recorded for restart once the daemon is up (ready, or still starting at the deadline),
 * never for one that exited: those of the last start that came up stay.
 * Ready means that this child wrote its endpoints file, which it does once it serves:
 * a /ready answered on the port could come from another appliance holding it (this child then dies of EADDRINUSE).
 */
export async function startDaemon(target: Target, flags: StartFlags, timeoutMs: number): Promise<ApplianceEndpoints> {
  const existing = await runningPid(target.pidFile);
  if (existing !== undefined) throw new CliError(`the appliance is already running (PID ${existing}, ${target.pidFile})`, exitCodes.conflict);
  try {
    mkdirSync(dirname(target.logFile), { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way of that directory' : code === 'EACCES' ? 'no permission' : (error as Error).message;
    throw new CliError(`cannot make the log directory ${dirname(target.logFile)}: ${why} (move it, or set logs.file in the config)`, exitCodes.badInput);
  }
  await rotateLogFile(target.logFile, target.config.logs.maxBytes, target.config.logs.keep);
  // What this start writes to the log begins here: a failure shows those lines, not an earlier run's.
  const logStart = sizeOf(target.logFile);
  const log = openSync(target.logFile, 'a');
  // The daemon writes its JSON lines to the file itself (rotating it); stdout/stderr still go there
  // for what comes before its logger exists or after it is gone (a crash trace).
  const child = spawn(process.execPath, [...daemonNodeFlags, entry, 'serve', ...configFlagArgs(flags)], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...daemonEnvironment, ...process.env, NEXUS_LOG_FILE: target.logFile },
  });
  closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new CliError('could not start the appliance process', exitCodes.failure);
  // The child is ours until this process exits: a dead one stays a zombie that kill(pid, 0) still finds.
  let exited = false;
  child.once('exit', () => (exited = true));
  child.unref();
  await writeFile(target.pidFile, `${pid}\n`);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited || !isProcessAlive(pid)) {
      await rm(target.pidFile, { force: true });
      throw startFailure({ exited: true }, await readLogTail(target.logFile, 8, logStart));
    }
    const endpoints = await readLiveEndpoints(target.dataDir);
    if (endpoints?.pid === pid) {
      await writeStartFlags(target.dataDir, flags);
      return endpoints;
    }
    await sleep(readyPollMs);
  }
  await writeStartFlags(target.dataDir, flags);
  throw startFailure({ exited: false, pid, waitedSeconds: timeoutMs / 1000 }, await readLogTail(target.logFile, 8, logStart));
}
