// nexusctl status: the appliance's state from GET /api/status, readable and coloured, or --json.
import { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { withApiKey, withCa, withJson, withTarget, type TargetOptions } from '../common-options.js';
import { exitCodes } from '../exit-codes.js';
import { formatStatus } from '../format-status.js';
import { requestJson } from '../http-client.js';
import { lanApiKey } from '../lan-api-key.js';
import { runningPid } from '../pid-file.js';
import { resolveTargetLeniently, type LenientTarget } from '../resolve-target-leniently.js';
import type { ApplianceStatus } from '../status-rows.js';

/** GET /api/status; unreachable with no live PID in the data directory is "not running", said so. */
async function fetchStatus(target: LenientTarget, options: TargetOptions): Promise<ApplianceStatus> {
  const notRunning = (where: string) => new CliError(`the appliance is not running: no live PID in ${target.pidFile}${where} (start it: nexusctl start)`, exitCodes.notRunning);
  // An invalid config and no running appliance's endpoints file: nothing tells where to ask.
  if (target.lanUrl === undefined) throw (await runningPid(target.pidFile)) === undefined ? notRunning('') : target.configError;
  try {
    return await requestJson<ApplianceStatus>(`${target.lanUrl}/api/status`, { key: await lanApiKey(target, options), ca: target.lanCa });
  } catch (error) {
    const unreachable = error instanceof CliError && error.exitCode === exitCodes.notRunning;
    if (!unreachable || options.url || (await runningPid(target.pidFile)) !== undefined) throw error;
    throw notRunning(` and nothing answers at ${target.lanUrl}`);
  }
}

/** `nexusctl status`. */
export function statusCommand(): Command {
  const command = withCa(withJson(withTarget(new Command('status').description('show the running appliance: state, health, model, queue, checkpoint, memory'))));
  return withApiKey(command, '; default: the admin key in <data-dir>').action(async (options: TargetOptions) => {
    // A running appliance's endpoints file says where it listens: a config broken since does not hide it.
    const target = await resolveTargetLeniently(options);
    const status = await fetchStatus(target, options);
    const pid = await runningPid(target.pidFile);
    if (options.json) process.stdout.write(`${JSON.stringify({ ...status, pid: pid ?? null })}\n`);
    else process.stdout.write(`${formatStatus(status, pid)}\n`);
  });
}
