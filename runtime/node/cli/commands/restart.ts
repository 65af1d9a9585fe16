// nexusctl restart: stop (when running) then start with the given flags.
import { Command } from 'commander';
import { resolveTarget } from '../resolve-target.js';
import { runningPid } from '../pid-file.js';
import { runStart, withStartOptions, type StartOptions } from './start.js';
import { runStop } from './stop.js';

/** `nexusctl restart`. */
export function restartCommand(): Command {
  return withStartOptions(new Command('restart').description('stop the background appliance if it runs, then start it')).action(async (options: StartOptions) => {
    const target = await resolveTarget(options);
    if ((await runningPid(target.pidFile)) !== undefined) await runStop({ dataDir: target.dataDir, config: options.config as string | undefined });
    await runStart(options);
  });
}
