// nexusctl dashboard: prints the URL of the appliance's web dashboard.
import { Command } from 'commander';
import { withTarget, type TargetOptions } from '../common-options.js';
import { resolveTarget } from '../resolve-target.js';

/** `nexusctl dashboard`. */
export function dashboardCommand(): Command {
  return withTarget(new Command('dashboard').description('print the dashboard URL (open it in a browser)')).action(async (options: TargetOptions) => {
    const target = await resolveTarget(options);
    process.stdout.write(`${target.lanUrl}/#/dashboard\n`);
  });
}
