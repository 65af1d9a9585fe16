// nexusctl status: the appliance's state from GET /api/status, readable and coloured, or --json.
import { Command } from 'commander';
import { withApiKey, withJson, withTarget, type TargetOptions } from '../common-options.js';
import { formatStatus, type ApplianceStatus } from '../format-status.js';
import { requestJson } from '../http-client.js';
import { lanApiKey } from '../lan-api-key.js';
import { runningPid } from '../pid-file.js';
import { resolveTarget } from '../resolve-target.js';

/** `nexusctl status`. */
export function statusCommand(): Command {
  const command = withJson(withTarget(new Command('status').description('show the running appliance: state, health, model, queue, checkpoint, memory')));
  return withApiKey(command, '; default: the admin key in <data-dir>').action(async (options: TargetOptions) => {
    const target = await resolveTarget(options);
    const status = await requestJson<ApplianceStatus>(`${target.lanUrl}/api/status`, { key: await lanApiKey(target, options), ca: target.lanCa });
    const pid = await runningPid(target.pidFile);
    if (options.json) process.stdout.write(`${JSON.stringify({ ...status, pid: pid ?? null })}\n`);
    else process.stdout.write(`${formatStatus(status, pid)}\n`);
  });
}
