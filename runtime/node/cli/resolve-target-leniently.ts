// resolveTargetLeniently: the target for stop, logs and status, found from the data directory's files even when the config is invalid.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pc from 'picocolors';
import { defaultConfig } from '../../../edge-config/config-schema.js';
import { isNexusError, type NexusError } from '../../core/nexus-error.js';
import { readLiveEndpoints } from '../appliance/endpoints-file.js';
import type { TargetOptions } from './common-options.js';
import { trustedCa } from './local-ca.js';
import { dataDirFiles, resolveTarget, type Target } from './resolve-target.js';

/** A Target that may lack its URLs: with an invalid config, only a running appliance's endpoints file (or --url) tells them. */
export interface LenientTarget extends Omit<Target, 'lanUrl' | 'adminUrl'> {
  lanUrl?: string;
  adminUrl?: string;
  /** Why the config was not used; `config` then holds the defaults. */
  configError?: NexusError;
}

const nonEmpty = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * The dataDir and logs.file the config file sets, read without validating the rest: a typo
 * elsewhere in it does not move the daemon's files. {} when the file is unreadable or not JSON.
 */
async function pathsInConfigFile(file: string): Promise<{ dataDir?: string; logFile?: string }> {
  try {
    const json = JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, '')) as { dataDir?: unknown; logs?: { file?: unknown } } | null;
    return { dataDir: nonEmpty(json?.dataDir), logFile: nonEmpty(json?.logs?.file) };
  } catch {
    return {};
  }
}

/** The data directory's files as loadConfig would place them (flags > NEXUS_* > file > default), the config aside. */
async function targetWithoutConfig(options: TargetOptions, configError: NexusError): Promise<LenientTarget> {
  const env = (name: string) => nonEmpty(process.env[name]);
  const defaults = defaultConfig();
  const guessedDir = options.dataDir ?? env('NEXUS_DATA_DIR') ?? defaults.dataDir;
  const configFile = resolve(options.config ?? env('NEXUS_CONFIG') ?? join(guessedDir, 'config.json'));
  const fromFile = await pathsInConfigFile(configFile);
  const dataDir = resolve(options.dataDir ?? env('NEXUS_DATA_DIR') ?? fromFile.dataDir ?? defaults.dataDir);
  const live = await readLiveEndpoints(dataDir);
  const lanUrl = (options.url ?? live?.lanUrl)?.replace(/\/+$/, '');
  return {
    config: { ...defaults, dataDir },
    configFile,
    ...dataDirFiles(dataDir, fromFile.logFile && resolve(fromFile.logFile)),
    lanUrl,
    adminUrl: (options.adminUrl ?? live?.adminUrl)?.replace(/\/+$/, ''),
    lanCa: lanUrl?.startsWith('https:') ? await trustedCa({ ca: options.ca, dataDir }) : undefined,
    configError,
  };
}

/**
 * resolveTarget, except that an invalid config (a typo saved while the daemon runs) is a warning
 * on stderr, not an error: the PID, log and endpoints files are found without it. start and
 * restart keep using resolveTarget, which refuses such a config.
 */
export async function resolveTargetLeniently(options: TargetOptions): Promise<LenientTarget> {
  try {
    return await resolveTarget(options);
  } catch (error) {
    if (!isNexusError(error, 'CONFIG_INVALID')) throw error;
    process.stderr.write(`${pc.yellow(`nexusctl: warning: the config is invalid, going on without it (start and restart refuse it): ${error.message}`)}\n`);
    return targetWithoutConfig(options, error);
  }
}
