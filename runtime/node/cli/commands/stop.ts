// nexusctl stop: graceful stop of the background appliance (it saves a checkpoint first).
import { Command } from 'commander';
import pc from 'picocolors';
import { withDataDir, type TargetOptions } from '../common-options.js';
import { parseInteger } from '../parse-number.js';
import { resolveTargetLeniently } from '../resolve-target-leniently.js';
import { stopDaemon } from '../stop-daemon.js';

/** Options of stop. */
export interface StopOptions extends TargetOptions {
  waitSeconds?: number;
}

/**
 * Stops the daemon and prints its PID; the default wait is the shutdown deadline plus 30 s for the
 * save. An invalid config only warns: stopping needs no more than the PID file.
 */
export async function runStop(options: StopOptions): Promise<void> {
  const target = await resolveTargetLeniently(options);
  const waitMs = options.waitSeconds !== undefined ? options.waitSeconds * 1000 : target.config.limits.shutdownDeadlineMs + 30_000;
  const pid = await stopDaemon(target, waitMs);
  process.stdout.write(`${pc.green('stopped')} PID ${pid}\n`);
}

/** `nexusctl stop`. */
export function stopCommand(): Command {
  return withDataDir(new Command('stop').description('stop the background appliance gracefully (SIGTERM; it saves a checkpoint)'))
    .option('--wait-seconds <s>', 'how long to wait for it to exit', parseInteger)
    .action(runStop);
}
