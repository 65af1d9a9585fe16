// nexusctl pause / resume / save: admin API control actions, one command each.
import { Command } from 'commander';
import pc from 'picocolors';
import { requestAdmin } from '../admin-request.js';
import { withJson, withTarget, type TargetOptions } from '../common-options.js';
import { resolveTarget } from '../resolve-target.js';

/** The control actions that are plain commands. */
export type ControlAction = 'pause' | 'resume' | 'save';

const descriptions: Record<ControlAction, string> = {
  pause: 'stop taking new requests (queued and running ones finish)',
  resume: 'take requests again after pause',
  save: 'write a checkpoint now',
};

/** `nexusctl pause|resume|save`: POST /api/control {action}. */
export function controlCommand(action: ControlAction): Command {
  return withJson(withTarget(new Command(action).description(descriptions[action]))).action(async (options: TargetOptions) => {
    const result = await requestAdmin<Record<string, unknown>>(await resolveTarget(options), '/api/control', { method: 'POST', body: { action } });
    if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else process.stdout.write(`${pc.green(action === 'save' ? 'saved' : `${action}d`)} ${pc.dim(JSON.stringify(result))}\n`);
  });
}
