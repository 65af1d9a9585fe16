// Options shared by many commands, added to each command so that every --help lists them.
import { Option, type Command } from 'commander';
import { parseUrl } from './parse-url.js';

/** Options every command that finds the appliance accepts (parsed by commander, camelCase). */
export interface TargetOptions {
  dataDir?: string;
  config?: string;
  url?: string;
  adminUrl?: string;
  json?: boolean;
  /** --ca: a CA certificate file to trust for an https appliance. */
  ca?: string;
  /** --api-key, or NEXUS_API_KEY (commander reads the variable). */
  apiKey?: string;
}

/** Adds --data-dir and --config (where the appliance keeps its state and its config file). */
export function withDataDir(command: Command): Command {
  return command
    .option('--data-dir <dir>', 'data directory (checkpoints, keys, logs, PID file); default from config / NEXUS_DATA_DIR')
    .option('--config <file>', 'config file; default <data-dir>/config.json / NEXUS_CONFIG');
}

/** Adds --ca, for the commands that call the LAN API (which may serve https). */
export function withCa(command: Command): Command {
  return command.option('--ca <file>', 'CA certificate (PEM) to trust for an https URL; default: the one tls init made in <data-dir>');
}

/** Adds --data-dir, --config, --url and --admin-url. */
export function withTarget(command: Command): Command {
  return withDataDir(command)
    .option('--url <url>', 'LAN API base URL (default from config: http://host:port)', parseUrl)
    .option('--admin-url <url>', 'admin API base URL (default from config: http://adminHost:adminPort)', parseUrl);
}

/** Adds --api-key, also read from NEXUS_API_KEY. */
export function withApiKey(command: Command, fallback = ''): Command {
  return command.addOption(new Option('--api-key <key>', `key for the LAN API (nexusctl token create makes one)${fallback}`).env('NEXUS_API_KEY'));
}

/** Adds --json (machine-readable output on stdout). */
export function withJson(command: Command): Command {
  return command.option('--json', 'print one JSON object instead of readable text');
}
