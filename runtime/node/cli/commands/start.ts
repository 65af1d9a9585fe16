// nexusctl start: the appliance in the background (PID file, log file), returning once it is ready.
import { Command } from 'commander';
import { resolve } from 'node:path';
import pc from 'picocolors';
import type { TargetOptions } from '../common-options.js';
import { configEnvValues, configFlagValues, withConfigFlags } from '../config-flags.js';
import { parseInteger } from '../parse-number.js';
import { resolveTarget } from '../resolve-target.js';
import { startDaemon } from '../start-daemon.js';

/** Options of start and restart: the config flags plus how long to wait. */
export interface StartOptions extends TargetOptions {
  waitSeconds: number;
  /** The config flags (--port, --model, ...), forwarded to `serve`. */
  [flag: string]: unknown;
}

/** Starts the daemon with the given flags and prints where it is. */
export async function runStart(options: StartOptions): Promise<void> {
  const target = await resolveTarget(options);
  // The NEXUS_* variables are recorded as the flags they stand for: a restart from a shell without them comes back the same.
  const flags = { ...configEnvValues(process.env), ...configFlagValues(options) };
  // Absolute, so that a restart from another directory finds the same ones.
  if (flags.dataDir !== undefined) flags.dataDir = target.dataDir;
  if (flags.config !== undefined) flags.config = resolve(flags.config);
  const { pid, lanUrl } = await startDaemon(target, flags, options.waitSeconds * 1000);
  process.stdout.write(`${pc.green('started')} PID ${pid} · ${lanUrl} · logs ${target.logFile}\n`);
}

/** Adds the options start and restart share. */
export function withStartOptions(command: Command): Command {
  return withConfigFlags(command).option('--wait-seconds <s>', 'how long to wait until it is ready', parseInteger, 120);
}

/** `nexusctl start`. */
export function startCommand(): Command {
  return withStartOptions(new Command('start').description('start the appliance in the background and wait until it is ready')).action(runStart);
}
