// nexusctl restart: stop (when running) then start with the flags it last came up with, and the NEXUS_* variables and flags given now on top.
import { Command } from 'commander';
import { toNexusError } from '../../../core/nexus-error.js';
import { modelsDirectoryOf } from '../../appliance/models-directory.js';
import { resolveModelDirectory } from '../../resolve-model-directory.js';
import { CliError } from '../cli-error.js';
import { configEnvValues } from '../config-flags.js';
import { exitCodes } from '../exit-codes.js';
import { runningPid } from '../pid-file.js';
import { resolveTarget } from '../resolve-target.js';
import { readStartFlags } from '../start-flags-file.js';
import { runStart, withStartOptions, type StartOptions } from './start.js';
import { runStop } from './stop.js';

const given = (options: StartOptions) => Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));

/** `nexusctl restart`. */
export function restartCommand(): Command {
  const description =
    'stop the background appliance if it runs, then start it again with the flags and NEXUS_* variables it last came up with, even if it was stopped since (NEXUS_* variables set now and flags given here replace those)';
  return withStartOptions(new Command('restart').description(description)).action(async (options: StartOptions) => {
    const { dataDir } = await resolveTarget(options);
    const flags = { ...(await readStartFlags(dataDir)), ...configEnvValues(process.env), ...given(options) } as StartOptions;
    // Strict, as start is: an invalid config, or a model that is not installed, is refused before the running appliance is stopped.
    const target = await resolveTarget(flags);
    await resolveModelDirectory(target.config.model, modelsDirectoryOf(target.config)).catch((error: unknown) => {
      throw new CliError(`not restarting: ${toNexusError(error).message}; the appliance runs on as it was`, exitCodes.modelMissing);
    });
    if ((await runningPid(target.pidFile)) !== undefined) await runStop({ dataDir: target.dataDir, config: flags.config as string | undefined }, 'warn');
    await runStart(flags);
  });
}
