// nexusctl serve: the appliance in the foreground with JSON logs on stdout (what `npm start` runs).
import { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { withConfigFlags } from '../config-flags.js';
import { warnAboutEnvTypos } from '../env-typo-warning.js';
import { fatalLogLine } from '../fatal-log-line.js';
import { exitCodeOf, reportError } from '../report-error.js';

/** `nexusctl serve`. */
export function serveCommand(): Command {
  return withConfigFlags(new Command('serve').description('run the appliance in the foreground (JSON logs on stdout; SIGTERM/SIGINT stop it gracefully, SIGHUP reloads the config)')).action(
    async (options: Record<string, unknown>) => {
      // SIGHUP and reload-config read the same flags, environment and file again.
      const load = async () => {
        const loaded = await loadConfig({ flags: options });
        // Under `nexusctl start` stderr is the JSON log, and start has warned in the terminal already.
        if (!process.env.NEXUS_LOG_FILE) warnAboutEnvTypos(loaded.ignoredEnv);
        return loaded.config;
      };
      try {
        // Loaded here: the appliance's modules are most of the CLI, and other commands start without them.
        const { runForeground } = await import('../../appliance/run-foreground.js');
        // `nexusctl start` names the log file: the daemon then rotates it by size while it runs.
        await runForeground(await load(), { reloadConfig: load, logFile: process.env.NEXUS_LOG_FILE || undefined });
      } catch (error) {
        // A failed start may leave a half-bound listener keeping the process alive: exit outright.
        if (!process.env.NEXUS_LOG_FILE) process.exit(reportError(error));
        // Under `nexusctl start` stderr is the JSON log file: the reason goes there as one more JSON line.
        process.stderr.write(`${fatalLogLine(error)}\n`);
        process.exit(exitCodeOf(error));
      }
    },
  );
}
