// nexusctl stop: graceful stop of the background appliance (it saves a checkpoint first).
import { Command } from 'commander';
import pc from 'picocolors';
import { CliError } from '../cli-error.js';
import { withDataDir, type TargetOptions } from '../common-options.js';
import { exitCodes } from '../exit-codes.js';
import { parseInteger } from '../parse-number.js';
import { resolveTargetLeniently } from '../resolve-target-leniently.js';
import { stopDaemon } from '../stop-daemon.js';

/** Options of stop. */
export interface StopOptions extends TargetOptions {
  waitSeconds?: number;
}

/**
 * Stops the daemon and prints its PID; the default wait is the shutdown deadline plus 30 s for the
 * save. An invalid config only warns: stopping needs no more than the PID file. A final checkpoint
 * save that failed is an error (exit 1), or with `lostSave` 'warn' (restart) a warning.
 */
export async function runStop(options: StopOptions, lostSave: 'fail' | 'warn' = 'fail'): Promise<void> {
  const target = await resolveTargetLeniently(options);
  const waitMs = options.waitSeconds !== undefined ? options.waitSeconds * 1000 : target.config.limits.shutdownDeadlineMs + 30_000;
  const { pid, finalSaveError } = await stopDaemon(target, waitMs);
  if (finalSaveError) {
    process.stdout.write(`stopped PID ${pid}\n`);
    const lost = `its final checkpoint was not saved (${finalSaveError}): what it learned since its last save is lost; nexusctl logs has the details`;
    if (lostSave === 'fail') throw new CliError(lost, exitCodes.failure);
    process.stderr.write(`nexusctl: ${lost}\n`);
    return;
  }
  process.stdout.write(`${pc.green('stopped')} PID ${pid}\n`);
}

/** `nexusctl stop`. */
export function stopCommand(): Command {
  return withDataDir(new Command('stop').description('stop the appliance of the data directory gracefully, in the background or in a terminal (SIGTERM; it saves a checkpoint)'))
    .option('--wait-seconds <s>', 'how long to wait for it to exit', parseInteger)
    .action((options: StopOptions) => runStop(options));
}
