// runForeground: the appliance as a foreground process (nexusctl serve): signals, graceful stop, exit codes.
import type { NexusConfig } from '../../../edge-config/config-schema.js';
import { toNexusError } from '../../core/nexus-error.js';
import { ApplianceLogger } from './appliance-logger.js';
import { captureConsole } from './capture-console.js';
import { RotatingLogFile } from './rotating-log-file.js';
import { startAppliance, type ApplianceHandle, type StartApplianceOptions } from './start-appliance.js';

/** Options of runForeground. */
export interface RunForegroundOptions {
  /** Re-reads the config on SIGHUP and reload-config (default: loadConfig()). */
  reloadConfig?: () => Promise<NexusConfig>;
  /** Directory served at `/` (see StartApplianceOptions.staticDir). */
  staticDir?: StartApplianceOptions['staticDir'];
  /** Exits the process (default process.exit); tests replace it. */
  exit?: (code: number) => void;
  /** Write the JSON lines to this file, rotated by config.logs (nexusctl start); default stdout. */
  logFile?: string;
}

/**
 * Starts the appliance with JSON logs on stdout and handles signals: SIGTERM/SIGINT stop accepting
 * work, finish or cancel in-flight work within limits.shutdownDeadlineMs, save a checkpoint and
 * exit 0 (a second signal exits 130 at once); SIGHUP reloads the config, logging what needs a
 * restart. Resolves with the handle once the appliance serves.
 */
export async function runForeground(config: NexusConfig, options: RunForegroundOptions = {}): Promise<ApplianceHandle> {
  const sink = options.logFile ? new RotatingLogFile(options.logFile, config.logs.maxBytes, config.logs.keep) : undefined;
  const logger = new ApplianceLogger({ level: config.logs.level, write: sink && ((line) => sink.write(line)) });
  const restoreConsole = captureConsole(logger);
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let handle: ApplianceHandle | undefined;
  let stopping = false;

  const shutdown = (reason: string): void => {
    if (stopping) {
      logger.log('warn', 'appliance.forced_exit', { reason });
      exit(130);
      return;
    }
    stopping = true;
    // Past the deadline plus a margin for the final save, give up waiting rather than hang.
    const watchdog = setTimeout(() => {
      logger.log('error', 'appliance.shutdown_timeout', { deadlineMs: config.limits.shutdownDeadlineMs });
      exit(1);
    }, config.limits.shutdownDeadlineMs + 10_000);
    watchdog.unref();
    const closing = handle ? handle.close(reason) : Promise.resolve();
    closing.then(
      () => exit(0),
      (error: unknown) => {
        logger.log('error', 'appliance.shutdown_failed', { reason: toNexusError(error).message });
        exit(1);
      },
    );
  };
  const onSigterm = () => shutdown('SIGTERM');
  const onSigint = () => shutdown('SIGINT');
  const onSighup = () => {
    if (!handle) return;
    handle.reloadConfig().catch((error: unknown) => logger.log('error', 'config.reload_failed', { reason: toNexusError(error).message }));
  };
  process.on('SIGTERM', onSigterm);
  process.on('SIGINT', onSigint);
  process.on('SIGHUP', onSighup);

  try {
    handle = await startAppliance(config, { logger, reloadConfig: options.reloadConfig, staticDir: options.staticDir, onShutdownRequest: shutdown });
  } catch (error) {
    process.off('SIGTERM', onSigterm);
    process.off('SIGINT', onSigint);
    process.off('SIGHUP', onSighup);
    restoreConsole();
    throw error;
  }
  if (stopping) void handle.close('signal during start').then(() => exit(0));
  return handle;
}
