// nexusctl pause / resume / save: admin API control actions, one command each.
import { Command } from 'commander';
import pc from 'picocolors';
import { requestAdmin } from '../admin-request.js';
import { withJson, withTarget, type TargetOptions } from '../common-options.js';
import { resolveTarget } from '../resolve-target.js';

/** The control actions that are plain commands. */
export type ControlAction = 'pause' | 'resume' | 'save';

/** What POST /api/control answers for them. */
interface ControlResult {
  state?: string;
  checkpoint?: { id?: string; sizeBytes?: number };
}

const descriptions: Record<ControlAction, string> = {
  pause: 'stop taking new requests (queued and running ones finish)',
  resume: 'take requests again after pause',
  save: 'write a checkpoint now',
};

/** One readable line for the action's result. */
function describe(action: ControlAction, result: ControlResult): string {
  switch (action) {
    case 'pause':
      return `${pc.green('paused')}: new requests are refused until nexusctl resume${result.state ? pc.dim(` (state ${result.state})`) : ''}`;
    case 'resume':
      return `${pc.green('resumed')}: taking requests${result.state ? pc.dim(` (state ${result.state})`) : ''}`;
    case 'save': {
      const { id, sizeBytes } = result.checkpoint ?? {};
      return `${pc.green('saved')} checkpoint ${id ?? '?'}${sizeBytes !== undefined ? pc.dim(` (${(sizeBytes / 1024).toFixed(1)} KiB)`) : ''}`;
    }
    default: {
      const unknown: never = action;
      throw new Error(`unhandled action ${String(unknown)}`);
    }
  }
}

/** `nexusctl pause|resume|save`: POST /api/control {action}. */
export function controlCommand(action: ControlAction): Command {
  return withJson(withTarget(new Command(action).description(descriptions[action]))).action(async (options: TargetOptions) => {
    const result = await requestAdmin<ControlResult>(await resolveTarget(options), '/api/control', { method: 'POST', body: { action } });
    process.stdout.write(`${options.json ? JSON.stringify(result) : describe(action, result)}\n`);
  });
}
