// resolveTarget: the data directory and the LAN / admin URLs of the appliance, from flags, env and config.
import { join } from 'node:path';
import type { NexusConfig } from '../../../edge-config/config-schema.js';
import { readLiveEndpoints } from '../appliance/endpoints-file.js';
import { loadConfig } from '../config/load-config.js';
import { warnAboutEnvTypos } from './env-typo-warning.js';
import type { TargetOptions } from './common-options.js';
import { trustedCa } from './local-ca.js';

/** Where the appliance lives: its config, directories and base URLs (no trailing slash). */
export interface Target {
  config: NexusConfig;
  /** The config file the settings were read from, or would be (it may not exist). */
  configFile: string;
  dataDir: string;
  pidFile: string;
  logFile: string;
  checkpointsDir: string;
  lanUrl: string;
  adminUrl: string;
  /** The CA to trust (PEM) when the LAN URL is https: the --ca file, else the one `tls init` made in the data directory. */
  lanCa?: string;
}

/** A wildcard bind address is reached on loopback; IPv6 literals need brackets in a URL. */
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** The daemon's files in `dataDir` (the log where `logs.file` puts it, when set). */
export function dataDirFiles(dataDir: string, logFile?: string): Pick<Target, 'dataDir' | 'pidFile' | 'logFile' | 'checkpointsDir'> {
  return { dataDir, pidFile: join(dataDir, 'nexus.pid'), logFile: logFile ?? join(dataDir, 'logs', 'nexus.log'), checkpointsDir: join(dataDir, 'checkpoints') };
}

/** Loads the config as `serve` would (flags > NEXUS_* > file > profile > defaults) and derives the rest. */
export async function resolveTarget(options: TargetOptions): Promise<Target> {
  // Commands pass their whole options object: loadConfig picks the config flags and ignores the rest.
  const { config, configFile, ignoredEnv } = await loadConfig({ flags: options as Readonly<Record<string, unknown>> });
  warnAboutEnvTypos(ignoredEnv);
  // A running appliance's own record of where it listens beats the config (it may run with --port flags).
  const live = await readLiveEndpoints(config.dataDir);
  const scheme = config.tls.cert ? 'https' : 'http';
  const trim = (url: string) => url.replace(/\/+$/, '');
  const lanUrl = trim(options.url ?? live?.lanUrl ?? `${scheme}://${urlHost(config.host)}:${config.port}`);
  return {
    config,
    configFile,
    ...dataDirFiles(config.dataDir, config.logs.file),
    lanUrl,
    adminUrl: trim(options.adminUrl ?? live?.adminUrl ?? `http://${urlHost(config.adminHost)}:${config.adminPort}`),
    lanCa: lanUrl.startsWith('https:') ? await trustedCa({ ca: options.ca, dataDir: config.dataDir }) : undefined,
  };
}
