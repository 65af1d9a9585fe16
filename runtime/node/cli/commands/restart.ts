// nexusctl restart: stop (when running) then start with the flags it was started with, and those given now on top.
import { Command } from 'commander';
import { resolveTarget } from '../resolve-target.js';
import { runningPid } from '../pid-file.js';
import { readStartFlags } from '../start-flags-file.js';
import { runStart, withStartOptions, type StartOptions } from './start.js';
import { runStop } from './stop.js';

const given = (options: StartOptions) => Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));

/** `nexusctl restart`. */
export function restartCommand(): Command {
  return withStartOptions(new Command('restart').description('stop the background appliance if it runs, then start it again with the flags it was started with (flags given here replace those)')).action(
    async (options: StartOptions) => {
      const target = await resolveTarget(options);
      const pid = await runningPid(target.pidFile);
      if (pid === undefined) return runStart(options);
      const previous = await readStartFlags(target.dataDir, pid);
      await runStop({ dataDir: target.dataDir, config: options.config as string | undefined });
      await runStart({ ...previous, ...given(options) } as StartOptions);
    },
  );
}
